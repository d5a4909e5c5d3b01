import { isValidDeliveryId } from "./delivery-id";

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

/**
 * The envelope of a parsed Stripe event (a verified delivery's body, or an event listed from
 * Stripe's API), or undefined when it is not one we accept: an `evt_` id usable as a delivery id,
 * a type, a numeric `created` and a boolean `livemode`.
 */
export function stripeEventEnvelope(parsed: unknown): StripeEventEnvelope | undefined {
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const payload = parsed as Record<string, unknown>;
  const { id, type, created, livemode, data } = payload;
  if (typeof id !== "string" || !id.startsWith("evt_") || !isValidDeliveryId(id) || typeof type !== "string") {
    return undefined;
  }
  if (typeof created !== "number" || typeof livemode !== "boolean") return undefined;
  const object = (data as { object?: { id?: unknown } } | undefined)?.object;
  return { id, type, created, livemode, objectId: typeof object?.id === "string" ? object.id : undefined, payload };
}
