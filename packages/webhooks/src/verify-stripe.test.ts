import { signStripe, stripeEvent, TEST_STRIPE_SECRET, TEST_STRIPE_SECRET_NEXT, uniqueId } from "@wh/testkit";
import Stripe from "stripe";
import { verifyStripe, type VerifyStripeInput } from "./verify-stripe";

const SECRETS = [TEST_STRIPE_SECRET];
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A delivery exactly as Stripe sends it: the official library signs the bytes we verify. */
function delivery(event: object, secret = TEST_STRIPE_SECRET, timestampSeconds?: number) {
  const signed = signStripe(event, secret, { timestampSeconds });
  return { rawBody: Buffer.from(signed.body), signatureHeader: signed.headers["stripe-signature"] };
}

/** Signs arbitrary bytes (not necessarily JSON) with the official library. */
function signRaw(body: string, secret = TEST_STRIPE_SECRET): Pick<VerifyStripeInput, "rawBody" | "signatureHeader"> {
  const signed = signStripe(body, secret);
  return { rawBody: Buffer.from(signed.body), signatureHeader: signed.headers["stripe-signature"] };
}

function subscriptionUpdated() {
  return stripeEvent("customer.subscription.updated", { id: uniqueId("sub"), object: "subscription" }, {
    created: 1_767_225_600,
    livemode: true,
  });
}

describe("verifyStripe", () => {
  it("accepts a correctly signed event and extracts id, type, created, livemode and data.object.id", () => {
    const event = subscriptionUpdated();
    const result = verifyStripe({ ...delivery(event), secrets: SECRETS });

    expect(result).toEqual({
      ok: true,
      event: {
        id: event.id,
        type: "customer.subscription.updated",
        created: 1_767_225_600,
        livemode: true,
        objectId: (event.data as { object: { id: string } }).object.id,
        payload: event,
      },
    });
  });

  it("leaves objectId undefined when data.object has no id", () => {
    const event = stripeEvent("balance.available", { object: "balance" });
    const result = verifyStripe({ ...delivery(event), secrets: SECRETS });

    expect(result.ok && result.event.objectId).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  it("rejects a body changed by one byte after signing", () => {
    const { rawBody, signatureHeader } = delivery(subscriptionUpdated());
    const tampered = Buffer.from(rawBody);
    const index = tampered.indexOf("livemode\":true");
    tampered[index] = "L".charCodeAt(0);

    expect(verifyStripe({ rawBody: tampered, signatureHeader, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
  });

  it("rejects an event signed with a secret we do not hold", () => {
    const input = delivery(subscriptionUpdated(), "whsec_someone_elses_secret");

    expect(verifyStripe({ ...input, secrets: SECRETS })).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("accepts an event signed with the second of two valid secrets (rotation)", () => {
    const event = subscriptionUpdated();
    const input = delivery(event, TEST_STRIPE_SECRET_NEXT);

    const result = verifyStripe({ ...input, secrets: [TEST_STRIPE_SECRET, TEST_STRIPE_SECRET_NEXT] });

    expect(result.ok && result.event.id).toBe(event.id);
    expect(verifyStripe({ ...input, secrets: [TEST_STRIPE_SECRET] })).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects a signature timestamp 10 minutes old", () => {
    const input = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, nowSeconds() - 600);

    expect(verifyStripe({ ...input, secrets: SECRETS })).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
  });

  it("rejects a signature timestamp 10 minutes in the future, which Stripe's library alone accepts", () => {
    const now = nowSeconds();
    const input = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now + 600);

    // The official library only bounds the age of a signature: a future one passes it.
    expect(() => Stripe.webhooks.constructEvent(input.rawBody, input.signatureHeader!, TEST_STRIPE_SECRET, 300, undefined, now)).not.toThrow();
    expect(verifyStripe({ ...input, secrets: SECRETS, nowSeconds: now })).toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
  });

  it("accepts clock skew inside the tolerance in both directions", () => {
    const now = nowSeconds();
    for (const skew of [-240, 240]) {
      const input = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now + skew);
      expect(verifyStripe({ ...input, secrets: SECRETS, nowSeconds: now }).ok).toBe(true);
    }
  });

  it("rejects a delivery without a Stripe-Signature header", () => {
    const { rawBody } = delivery(subscriptionUpdated());

    expect(verifyStripe({ rawBody, signatureHeader: undefined, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
    expect(verifyStripe({ rawBody, signatureHeader: "", secrets: SECRETS })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });

  it("rejects a signature header without a timestamp", () => {
    const { rawBody, signatureHeader } = delivery(subscriptionUpdated());
    const withoutTimestamp = signatureHeader!.replace(/t=\d+,?/, "");

    expect(verifyStripe({ rawBody, signatureHeader: withoutTimestamp, secrets: SECRETS })).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
  });

  it("reports a correctly signed body that is not JSON as malformed", () => {
    expect(verifyStripe({ ...signRaw("not json at all"), secrets: SECRETS })).toEqual({
      ok: false,
      reason: "malformed_payload",
    });
    // Also when the signing secret is the second one tried.
    expect(verifyStripe({ ...signRaw("{oops", TEST_STRIPE_SECRET_NEXT), secrets: [TEST_STRIPE_SECRET, TEST_STRIPE_SECRET_NEXT] })).toEqual({
      ok: false,
      reason: "malformed_payload",
    });
  });

  it("reports signed JSON that is not an event object as malformed", () => {
    const event = subscriptionUpdated();
    const { id: _id, ...withoutId } = event;
    const cases: object[] = [
      [event],
      withoutId,
      { ...event, id: "not_an_event_id" },
      { ...event, type: 42 },
      { ...event, created: "yesterday" },
      { ...event, livemode: "false" },
    ];
    for (const body of cases) {
      expect(verifyStripe({ ...signRaw(JSON.stringify(body)), secrets: SECRETS })).toEqual({
        ok: false,
        reason: "malformed_payload",
      });
    }
    expect(verifyStripe({ ...signRaw("null"), secrets: SECRETS })).toEqual({ ok: false, reason: "malformed_payload" });
  });
});
