import { createHmac } from "node:crypto";
import { stripeEvent, subscriptionObject, TEST_JOB_SIGNING_KEY, TEST_JOB_SIGNING_KEY_NEXT, uniqueId } from "@wh/testkit";
import { canonicalJobData, checkJobSignature, jobSigningEnvFields, signWebhookJob, UnsignableJobDataError } from "./job-signature";
import type { WebhookJob } from "./webhook-job";

const KEYS = [TEST_JOB_SIGNING_KEY];

function subscriptionJob(plan: string): WebhookJob {
  const event = stripeEvent(
    "customer.subscription.updated",
    subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan }),
  );
  return {
    provider: "stripe",
    eventId: event.id as string,
    type: "customer.subscription.updated",
    objectId: (event.data as { object: { id: string } }).object.id,
    eventCreatedAt: (event.created as number) * 1000,
    receivedAt: 1_767_225_601_000,
    payload: event,
  };
}

/** What a worker reads back: BullMQ stores job data as JSON. */
const throughRedis = <T>(data: T): unknown => JSON.parse(JSON.stringify(data));

describe("job signatures", () => {
  it("verifies a signed job after the JSON round trip through Redis, optional fields left out", () => {
    const job = { ...subscriptionJob("starter"), objectId: undefined };

    const signed = signWebhookJob(job, KEYS);

    expect(signed.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(checkJobSignature(throughRedis(signed), KEYS)).toEqual({ ok: true });
  });

  it("is the HMAC-SHA256 of the canonical data: sorted keys at every depth, no signature, no whitespace", () => {
    const job = subscriptionJob("pro");
    const reordered = Object.fromEntries(Object.entries(job).reverse()) as WebhookJob;

    const canonical = canonicalJobData({ ...job, signature: "v1=anything" });

    expect(canonical).toBe(canonicalJobData(reordered));
    expect(canonical.startsWith('{"eventCreatedAt":')).toBe(true);
    expect(canonical).toContain('"data":{"object":{"cancel_at_period_end":false,"customer":"cus_');
    expect(canonical).not.toContain("signature");
    expect(canonical).not.toMatch(/\s/);
    const expected = createHmac("sha256", TEST_JOB_SIGNING_KEY).update(canonical).digest("hex");
    expect(signWebhookJob(reordered, KEYS).signature).toBe(`v1=${expected}`);
  });

  it("writes the canonical bytes exactly: nested keys sorted, undefined fields left out, undefined array items null", () => {
    const data = { z: [1, undefined, { b: "\"q\"", a: null }], a: { y: undefined, x: true, "é": 1.5 }, signature: "v1=x", m: new Date(0) };

    expect(canonicalJobData(data)).toBe('{"a":{"x":true,"é":1.5},"m":"1970-01-01T00:00:00.000Z","z":[1,null,{"a":null,"b":"\\"q\\""}]}');
  });

  it("keeps a nested `signature` field covered, and writes integer-like keys in sorted string order", () => {
    const data = { payload: { signature: "s", "10": 1, "9": 2 }, signature: "v1=x" };

    expect(canonicalJobData(data)).toBe('{"payload":{"10":1,"9":2,"signature":"s"}}');
  });

  it("refuses data with an own __proto__ key, which has no canonical form", () => {
    const signed = signWebhookJob(subscriptionJob("pro"), KEYS);
    const tampered = JSON.parse(JSON.stringify(signed).replace('"provider":', '"__proto__":{"x":1},"provider":')) as object;

    expect(() => canonicalJobData(tampered)).toThrow(UnsignableJobDataError);
    expect(checkJobSignature(tampered, KEYS)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a copy of a real job with a higher plan, and one without a signature", () => {
    const signed = signWebhookJob(subscriptionJob("starter"), KEYS);
    const raised = JSON.parse(JSON.stringify(signed).replace('"lookup_key":"starter"', '"lookup_key":"business"')) as unknown;
    const { signature: _dropped, ...unsigned } = signed;

    expect(checkJobSignature(raised, KEYS)).toEqual({ ok: false, reason: "bad_signature" });
    expect(checkJobSignature(unsigned, KEYS)).toEqual({ ok: false, reason: "missing_signature" });
    expect(checkJobSignature({ ...signed, signature: "v1=" }, KEYS)).toEqual({ ok: false, reason: "bad_signature" });
    expect(checkJobSignature({ ...signed, signature: signed.signature.toUpperCase() }, KEYS)).toEqual({
      ok: false,
      reason: "missing_signature",
    });
    expect(checkJobSignature({ ...signed, receivedAt: signed.receivedAt + 1 }, KEYS)).toEqual({ ok: false, reason: "bad_signature" });
    expect(checkJobSignature("not a job", KEYS)).toEqual({ ok: false, reason: "missing_signature" });
    expect(checkJobSignature(null, KEYS)).toEqual({ ok: false, reason: "missing_signature" });
  });

  it("rotates: the first key signs, every listed key is accepted, a removed key is refused", () => {
    const job = subscriptionJob("pro");
    const signedWithOld = signWebhookJob(job, [TEST_JOB_SIGNING_KEY]);
    const rotated = [TEST_JOB_SIGNING_KEY_NEXT, TEST_JOB_SIGNING_KEY];

    const signedWithNew = signWebhookJob(job, rotated);

    expect(signedWithNew.signature).not.toBe(signedWithOld.signature);
    expect(checkJobSignature(signedWithNew, [TEST_JOB_SIGNING_KEY_NEXT])).toEqual({ ok: true });
    expect(checkJobSignature(signedWithOld, rotated)).toEqual({ ok: true });
    expect(checkJobSignature(signedWithOld, [TEST_JOB_SIGNING_KEY_NEXT])).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("re-signs over a previous signature", () => {
    const signed = signWebhookJob(subscriptionJob("pro"), [TEST_JOB_SIGNING_KEY_NEXT]);

    expect(checkJobSignature(signWebhookJob(signed, KEYS), KEYS)).toEqual({ ok: true });
  });

  it("reads JOB_SIGNING_KEY as a comma list of keys of at least 32 characters", () => {
    const field = jobSigningEnvFields.JOB_SIGNING_KEY;

    expect(field.parse(` ${TEST_JOB_SIGNING_KEY_NEXT} , ${TEST_JOB_SIGNING_KEY}`)).toEqual([TEST_JOB_SIGNING_KEY_NEXT, TEST_JOB_SIGNING_KEY]);
    expect(field.safeParse("short-key").error?.issues[0]?.message).toBe("every key must be at least 32 characters");
    expect(field.safeParse(" , ").error?.issues[0]?.message).toBe("must contain at least one key");
    expect(field.safeParse(undefined).success).toBe(false);
  });
});
