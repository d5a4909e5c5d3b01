import { createHmac } from "node:crypto";
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

/** The header's entries with `entry` inserted at `position`, joined the way Stripe joins them. */
function withEntry(header: string, entry: string, position: number): string {
  const entries = header.split(",");
  entries.splice(position, 0, entry);
  return entries.join(",");
}

/** A body whose bytes are not `JSON.stringify` output, signed over exactly those bytes. */
function signedBody(body: string) {
  return { ...signRaw(body), secrets: SECRETS };
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

    // The official library only bounds the age of a signature (`receivedAt` in milliseconds): a future one passes it.
    expect(() => Stripe.webhooks.constructEvent(input.rawBody, input.signatureHeader!, TEST_STRIPE_SECRET, 300, undefined, now * 1000)).not.toThrow();
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

  describe("the Stripe-Signature header, read the way stripe-node reads it", () => {
    const positions = [0, 1, 2];

    it.each(positions)("refuses a second t= (same value) at entry %i", (position) => {
      const now = nowSeconds();
      const { rawBody, signatureHeader } = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now);

      const header = withEntry(signatureHeader!, `t=${now}`, position);

      expect(verifyStripe({ rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })).toEqual({
        ok: false,
        reason: "invalid_signature",
      });
    });

    it.each(positions)("refuses a delivery captured 10 minutes ago and replayed with a fresh t= added at entry %i", (position) => {
      const now = nowSeconds();
      const captured = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now - 600);
      expect(verifyStripe({ ...captured, secrets: SECRETS, nowSeconds: now - 600 }).ok).toBe(true);

      const header = withEntry(captured.signatureHeader!, `t=${now}`, position);

      expect(verifyStripe({ rawBody: captured.rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })).toEqual({
        ok: false,
        reason: "invalid_signature",
      });
    });

    it("reads \" t=\" (a second header joined by Node with \", \") as the library does: not a timestamp", () => {
      const now = nowSeconds();
      const captured = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now - 600);

      for (const header of [` t=${now},${captured.signatureHeader!}`, `${captured.signatureHeader!}, t=${now}`]) {
        expect(verifyStripe({ rawBody: captured.rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })).toEqual({
          ok: false,
          reason: "timestamp_out_of_tolerance",
        });
      }
    });

    it("refuses a t= that is not plain digits, even where the library's parseInt would read a valid signature", () => {
      const now = nowSeconds();
      const { rawBody, signatureHeader } = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now);
      const v1 = signatureHeader!.split(",").find((entry) => entry.startsWith("v1="))!;
      // The library signs `${parseInt(t)}.${body}`: an empty or non-numeric t is NaN, and its age check passes NaN.
      const nanV1 = `v1=${createHmac("sha256", TEST_STRIPE_SECRET).update(`NaN.${rawBody.toString("utf8")}`).digest("hex")}`;
      const headers = [
        `t=${now}abc,${v1}`,
        `t=${now}.5,${v1}`,
        `t=${now}=1,${v1}`,
        `t=+${now},${v1}`,
        `t= ${now},${v1}`,
        `t=,${nanV1}`,
        `t=abc,${nanV1}`,
        `t=,${nanV1}, t=${now}`,
        `t=abc,${nanV1}, t=${now}`,
      ];

      for (const header of headers) {
        expect([header, verifyStripe({ rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })]).toEqual([
          header,
          { ok: false, reason: "invalid_signature" },
        ]);
      }
    });

    it("accepts unknown schemes, a v0 and a stale v1 next to a valid v1", () => {
      const now = nowSeconds();
      const event = subscriptionUpdated();
      const { rawBody, signatureHeader } = delivery(event, TEST_STRIPE_SECRET, now);
      const [t, v1] = signatureHeader!.split(",");
      const headers = [
        `${t},${v1},v0=${"a".repeat(64)}`,
        `v0=${"a".repeat(64)},${t},v2=${"b".repeat(64)},${v1}`,
        `${t},v1=${"0".repeat(64)},${v1},scheme=unknown,v2`,
        `${t}, v1=${"0".repeat(64)},${v1}`,
      ];

      for (const header of headers) {
        expect([header, verifyStripe({ rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })]).toEqual([
          header,
          { ok: true, event: expect.objectContaining({ id: event.id }) },
        ]);
      }
    });

    it("refuses a v1 entry without a value as an invalid signature, wherever it sits", () => {
      const now = nowSeconds();
      const { rawBody, signatureHeader } = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now);

      for (const entry of ["v1", "v1="]) {
        for (const position of [0, 1, 2]) {
          const header = withEntry(signatureHeader!, entry, position);
          expect([header, verifyStripe({ rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now })]).toEqual([
            header,
            { ok: false, reason: "invalid_signature" },
          ]);
        }
      }
    });

    it("accepts a header as large as Stripe sends during a secret roll and refuses one past the caps", () => {
      const now = nowSeconds();
      const { rawBody, signatureHeader } = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now);
      const check = (header: string) => verifyStripe({ rawBody, signatureHeader: header, secrets: SECRETS, nowSeconds: now });
      const otherV1 = `v1=${"0".repeat(64)}`;
      const rolled = `${signatureHeader!},${otherV1},${otherV1},v0=${"a".repeat(64)}`;

      expect(check(rolled).ok).toBe(true);
      expect(check(`${signatureHeader!}${",x".repeat(20)}`)).toEqual({ ok: false, reason: "invalid_signature" });
      expect(check(`${signatureHeader!},x=${"y".repeat(3000)}`)).toEqual({ ok: false, reason: "invalid_signature" });
    });

    it("passes the library its receivedAt in milliseconds, so the library's own age check is live", () => {
      const now = nowSeconds();
      const input = delivery(subscriptionUpdated(), TEST_STRIPE_SECRET, now);
      const constructEvent = jest.spyOn(Stripe.webhooks, "constructEvent");
      try {
        expect(verifyStripe({ ...input, secrets: SECRETS, nowSeconds: now }).ok).toBe(true);

        expect(constructEvent).toHaveBeenCalledWith(input.rawBody, input.signatureHeader, TEST_STRIPE_SECRET, 300, undefined, now * 1000);
      } finally {
        constructEvent.mockRestore();
      }
    });
  });

  describe("bodies Stripe did not produce with JSON.stringify, verified on their exact bytes", () => {
    const id = () => uniqueId("evt");
    const bodies: [string, () => string][] = [
      ["pretty-printed with a trailing newline", () => `${JSON.stringify(stripeEvent("customer.subscription.updated", { id: uniqueId("sub") }, { id: id() }), null, 2)}\n`],
      ["\\u escapes and raw UTF-8", () =>
        `{"id":"${id()}","object":"event","type":"customer.updated","created":1767225600,"livemode":false,` +
        `"data":{"object":{"id":"cus_\\u0041bc","name":"Caf\\u00e9 \\ud83d\\ude00 \\u2028 Café","email":"x\\/y"}}}`],
      ["other key order and spacing", () =>
        `{ "data": { "object": { "object": "subscription", "id": "${uniqueId("sub")}" } }, "livemode": false,\r\n` +
        `  "type": "customer.subscription.updated", "created": 1767225600, "id": "${id()}", "object": "event" }`],
    ];

    it.each(bodies)("accepts a body %s and returns what it says", (_name, build) => {
      const body = build();
      expect(body).not.toBe(JSON.stringify(JSON.parse(body)));

      const result = verifyStripe(signedBody(body));

      expect(result).toEqual({ ok: true, event: expect.objectContaining({ payload: JSON.parse(body) }) });
    });
  });
});
