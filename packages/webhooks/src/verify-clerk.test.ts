import { clerkUserEvent, signClerk, TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT, uniqueId } from "@wh/testkit";
import { createClerkVerifier, type ClerkHeaders, type VerifyClerkInput } from "./verify-clerk";

/** Counts Svix `Webhook` constructions (each decodes its secret) without changing what they do. */
const mockWebhookConstructions = { count: 0 };
jest.mock("svix", () => {
  const actual = jest.requireActual<typeof import("svix")>("svix");
  class CountedWebhook extends actual.Webhook {
    constructor(...args: ConstructorParameters<typeof actual.Webhook>) {
      super(...args);
      mockWebhookConstructions.count += 1;
    }
  }
  return { ...actual, Webhook: CountedWebhook };
});

const SECRETS = [TEST_CLERK_SECRET];
const OTHER_SECRET = `whsec_${Buffer.from("someone-elses-clerk-secret-000000").toString("base64")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A delivery exactly as Svix sends it: the official library signs the bytes we verify. */
function delivery(
  event: object,
  options: { secret?: string; timestampSeconds?: number; msgId?: string } = {},
): Pick<VerifyClerkInput, "rawBody" | "headers"> {
  const signed = signClerk(event, options.secret ?? TEST_CLERK_SECRET, {
    msgId: options.msgId ?? uniqueId("msg"),
    timestampSeconds: options.timestampSeconds,
  });
  return { rawBody: Buffer.from(signed.body), headers: signed.headers as ClerkHeaders };
}

/** Signs arbitrary bytes (not necessarily JSON) with the official library. */
function signRaw(body: string, secret = TEST_CLERK_SECRET): Pick<VerifyClerkInput, "rawBody" | "headers"> {
  const signed = signClerk(body, secret, { msgId: uniqueId("msg") });
  return { rawBody: Buffer.from(signed.body), headers: signed.headers as ClerkHeaders };
}

const userCreated = (timestampMs?: number) =>
  clerkUserEvent("user.created", { id: uniqueId("user"), email: "ada@example.test" }, timestampMs);

/** One delivery through a verifier built for `secrets` (as the receiver builds it at start). */
const verifyClerk = ({ secrets, ...input }: VerifyClerkInput & { secrets: readonly string[] }) => createClerkVerifier(secrets)(input);

describe("createClerkVerifier", () => {
  it("builds one Svix Webhook per secret at creation, none per delivery", () => {
    // Signed first: the test signer builds a Webhook of its own per delivery.
    const deliveries = [TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT, OTHER_SECRET].map((secret) => delivery(userCreated(), { secret }));
    const before = mockWebhookConstructions.count;
    const verify = createClerkVerifier([TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT]);
    expect(mockWebhookConstructions.count - before).toBe(2);

    const results = deliveries.map((input) => verify(input).ok);

    expect(results).toEqual([true, true, false]);
    expect(mockWebhookConstructions.count - before).toBe(2);
  });
});

describe("verifyClerk", () => {
  it("accepts a correctly signed delivery; id is svix-id, objectId is data.id", () => {
    const event = userCreated();
    const msgId = uniqueId("msg");
    const result = verifyClerk({ ...delivery(event, { msgId }), secrets: SECRETS });

    expect(result).toEqual({
      ok: true,
      event: {
        id: msgId,
        type: "user.created",
        timestampMs: event.timestamp,
        objectId: (event.data as { id: string }).id,
        payload: event,
      },
    });
  });

  it("takes timestampMs from the body's timestamp, not from the svix-timestamp header", () => {
    const bodyTimestampMs = 1_700_000_000_123;
    const headerSeconds = nowSeconds() - 60;
    const result = verifyClerk({
      ...delivery(userCreated(bodyTimestampMs), { timestampSeconds: headerSeconds }),
      secrets: SECRETS,
    });

    expect(result.ok && result.event.timestampMs).toBe(bodyTimestampMs);
    expect(bodyTimestampMs).not.toBe(headerSeconds * 1000);
  });

  it("falls back to data.updated_at when the body has no timestamp", () => {
    const { timestamp: _timestamp, ...event } = userCreated(1_700_000_000_456);
    const result = verifyClerk({ ...delivery(event), secrets: SECRETS });

    expect(result.ok && result.event.timestampMs).toBe(1_700_000_000_456);
  });

  it("rejects a body changed by one byte after signing", () => {
    const { rawBody, headers } = delivery(userCreated());
    const tampered = Buffer.from(rawBody);
    tampered[tampered.indexOf("Ada")] = "B".charCodeAt(0);

    expect(verifyClerk({ rawBody: tampered, headers, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
  });

  it("rejects a delivery signed with a secret we do not hold", () => {
    expect(verifyClerk({ ...delivery(userCreated(), { secret: OTHER_SECRET }), secrets: SECRETS })).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
  });

  it("accepts a delivery signed with the second of two valid secrets (rotation)", () => {
    const msgId = uniqueId("msg");
    const input = delivery(userCreated(), { secret: TEST_CLERK_SECRET_NEXT, msgId });

    const result = verifyClerk({ ...input, secrets: [TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT] });

    expect(result.ok && result.event.id).toBe(msgId);
    expect(verifyClerk({ ...input, secrets: [TEST_CLERK_SECRET] })).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("accepts a header carrying several signatures when one matches", () => {
    const input = delivery(userCreated());
    const other = delivery(userCreated(), { secret: OTHER_SECRET });
    const headers = { ...input.headers, "svix-signature": `${other.headers["svix-signature"]} ${input.headers["svix-signature"]}` };

    expect(verifyClerk({ rawBody: input.rawBody, headers, secrets: SECRETS }).ok).toBe(true);
  });

  it("rejects an svix-timestamp 10 minutes old", () => {
    expect(verifyClerk({ ...delivery(userCreated(), { timestampSeconds: nowSeconds() - 600 }), secrets: SECRETS })).toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
  });

  it("rejects an svix-timestamp 10 minutes in the future", () => {
    expect(verifyClerk({ ...delivery(userCreated(), { timestampSeconds: nowSeconds() + 600 }), secrets: SECRETS })).toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
  });

  it("accepts clock skew inside the tolerance in both directions", () => {
    for (const skew of [-240, 240]) {
      expect(verifyClerk({ ...delivery(userCreated(), { timestampSeconds: nowSeconds() + skew }), secrets: SECRETS }).ok).toBe(true);
    }
  });

  it("rejects a non-numeric svix-timestamp", () => {
    const input = delivery(userCreated());
    const headers = { ...input.headers, "svix-timestamp": `${input.headers["svix-timestamp"]}.5` };

    expect(verifyClerk({ rawBody: input.rawBody, headers, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"] as const)("rejects a delivery without the %s header", (name) => {
    const input = delivery(userCreated());
    const headers: ClerkHeaders = { ...input.headers };
    delete headers[name];

    expect(verifyClerk({ rawBody: input.rawBody, headers, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });

  it("reports a correctly signed body that is not JSON as malformed", () => {
    expect(verifyClerk({ ...signRaw("not json at all"), secrets: SECRETS })).toEqual({
      ok: false,
      reason: "malformed_payload",
    });
    // Also when the signing secret is the second one tried.
    expect(verifyClerk({ ...signRaw("{oops", TEST_CLERK_SECRET_NEXT), secrets: [TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT] })).toEqual({
      ok: false,
      reason: "malformed_payload",
    });
  });

  it("reports signed JSON that is not a Clerk event as malformed", () => {
    const event = userCreated();
    const { type: _type, ...withoutType } = event;
    const { data: _data, ...withoutData } = event;
    const { timestamp: _timestamp, ...withoutTimestamp } = event;
    const cases: unknown[] = [
      [event],
      null,
      "a string",
      withoutType,
      withoutData,
      { ...event, data: null },
      // No body timestamp and no data.updated_at: nothing to order the event by.
      { ...withoutTimestamp, data: { id: uniqueId("user") } },
    ];
    for (const body of cases) {
      expect(verifyClerk({ ...signRaw(JSON.stringify(body)), secrets: SECRETS })).toEqual({
        ok: false,
        reason: "malformed_payload",
      });
    }
  });

  it("leaves objectId undefined when data has no string id", () => {
    const event = { ...userCreated(), data: { object: "session", updated_at: 1_700_000_000_000 } };
    const result = verifyClerk({ ...delivery(event), secrets: SECRETS });

    expect(result.ok).toBe(true);
    expect(result.ok && result.event.objectId).toBeUndefined();
  });
});
