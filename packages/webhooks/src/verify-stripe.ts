import Stripe from "stripe";
import { isValidDeliveryId } from "./delivery-id";
import { DEFAULT_TOLERANCE_SECONDS, type VerificationResult } from "./verification-result";

/** What the rest of the system needs from a verified Stripe event. */
export interface StripeEventEnvelope {
  id: string;
  type: string;
  /** Unix seconds: Stripe's own event time, the ordering watermark. */
  created: number;
  livemode: boolean;
  /** `data.object.id`, when the object has one. */
  objectId: string | undefined;
  payload: Record<string, unknown>;
}

export interface VerifyStripeInput {
  rawBody: Buffer;
  signatureHeader: string | undefined;
  /** Every currently valid endpoint secret (rotation keeps two for a while). */
  secrets: readonly string[];
  toleranceSeconds?: number;
  /** Unix seconds; injected by tests. */
  nowSeconds?: number;
}

const SIGNATURE_TIMESTAMP = /(?:^|,)\s*t=(\d+)/;

/**
 * Verifies a Stripe delivery on its exact raw bytes with the official library. The library only
 * rejects old timestamps, so a signature from the future is refused here as well.
 */
export function verifyStripe(input: VerifyStripeInput): VerificationResult<StripeEventEnvelope> {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = input.signatureHeader;
  if (!header) return { ok: false, reason: "missing_headers" };

  const timestamp = SIGNATURE_TIMESTAMP.exec(header)?.[1];
  if (timestamp === undefined) return { ok: false, reason: "invalid_signature" };
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }

  let parsed: unknown;
  let sawSignedGarbage = false;
  for (const secret of input.secrets) {
    try {
      parsed = Stripe.webhooks.constructEvent(input.rawBody, header, secret, tolerance, undefined, now);
      break;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) sawSignedGarbage = true;
    }
  }
  if (parsed === undefined) {
    return { ok: false, reason: sawSignedGarbage ? "malformed_payload" : "invalid_signature" };
  }
  const payload = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
  if (!payload) return { ok: false, reason: "malformed_payload" };
  const { id, type, created, livemode, data } = payload;
  if (typeof id !== "string" || !id.startsWith("evt_") || !isValidDeliveryId(id) || typeof type !== "string") {
    return { ok: false, reason: "malformed_payload" };
  }
  if (typeof created !== "number" || typeof livemode !== "boolean") {
    return { ok: false, reason: "malformed_payload" };
  }
  const object = (data as { object?: { id?: unknown } } | undefined)?.object;
  return {
    ok: true,
    event: {
      id,
      type,
      created,
      livemode,
      objectId: typeof object?.id === "string" ? object.id : undefined,
      payload,
    },
  };
}
