import Stripe from "stripe";
import { stripeEventEnvelope, type StripeEventEnvelope } from "./stripe-event-envelope";
import { DEFAULT_TOLERANCE_SECONDS, type VerificationResult } from "./verification-result";

export interface VerifyStripeInput {
  rawBody: Buffer;
  signatureHeader: string | undefined;
  /** Every currently valid endpoint secret (rotation keeps two for a while). */
  secrets: readonly string[];
  toleranceSeconds?: number;
  /** Unix seconds; injected by tests. */
  nowSeconds?: number;
}

/**
 * Caps on the `Stripe-Signature` header, checked before the library sees it. Stripe sends `t`, one
 * `v1` per active endpoint secret (two while a secret is rolled) and, in test mode, a `v0`: a few
 * entries of at most ~70 characters. The library splits the whole header and compares every `v1`
 * with each of our secrets, so these bound the work one request can cause, far above what Stripe sends.
 */
const MAX_SIGNATURE_HEADER_LENGTH = 2048;
const MAX_SIGNATURE_ENTRIES = 16;

/**
 * The header's timestamp, read exactly as stripe-node's `parseHeader` reads it: split on `,`, then
 * on `=`, key exactly `t` (no trimming: `" t=…"` is not a timestamp to it). The library keeps the
 * last `t` and signs `${t}.${body}`: a header with two (an attacker adding a fresh `t` to a captured
 * delivery, or Node joining two headers with ", ") would let a check of another `t` pass a replay.
 * So exactly one `t` entry, all digits (the library's `parseInt` would accept `t=123abc` as 123).
 * A `v1` entry without a value makes the library throw a plain `Error` (not a signature error),
 * which would be mistaken for a signed body that is not JSON: refused here as unsigned.
 */
function signatureTimestamp(header: string): number | undefined {
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) return undefined;
  const entries = header.split(",").map((entry) => entry.split("="));
  if (entries.length > MAX_SIGNATURE_ENTRIES) return undefined;
  if (entries.some(([key, value]) => key === "v1" && !value)) return undefined;
  const [timestamp, ...others] = entries.filter(([key]) => key === "t");
  if (timestamp === undefined || others.length > 0 || timestamp.length !== 2) return undefined;
  const digits = timestamp[1];
  return digits !== undefined && /^\d+$/.test(digits) ? Number(digits) : undefined;
}

/**
 * Verifies a Stripe delivery on its exact raw bytes with the official library. The library only
 * rejects old timestamps, so a signature from the future is refused here as well.
 */
export function verifyStripe(input: VerifyStripeInput): VerificationResult<StripeEventEnvelope> {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = input.signatureHeader;
  if (!header) return { ok: false, reason: "missing_headers" };

  const timestamp = signatureTimestamp(header);
  if (timestamp === undefined) return { ok: false, reason: "invalid_signature" };
  if (Math.abs(now - timestamp) > tolerance) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }

  let parsed: unknown;
  let sawSignedGarbage = false;
  for (const secret of input.secrets) {
    try {
      // `receivedAt` is in milliseconds: the library computes `floor(receivedAt / 1000) - t`.
      parsed = Stripe.webhooks.constructEvent(input.rawBody, header, secret, tolerance, undefined, now * 1000);
      break;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) sawSignedGarbage = true;
    }
  }
  if (parsed === undefined) {
    return { ok: false, reason: sawSignedGarbage ? "malformed_payload" : "invalid_signature" };
  }
  const event = stripeEventEnvelope(parsed);
  return event ? { ok: true, event } : { ok: false, reason: "malformed_payload" };
}
