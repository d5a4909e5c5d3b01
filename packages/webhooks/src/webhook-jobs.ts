import type { WebhookJob } from "@wh/queue";
import type { ClerkEventEnvelope } from "./verify-clerk";
import { minimizeClerkPayload } from "./minimize-clerk-payload";
import { minimizeStripePayload } from "./minimize-stripe-payload";
import type { StripeEventEnvelope } from "./stripe-event-envelope";

/**
 * The job for a Stripe event: the receiver's for a verified delivery, reconciliation's for an
 * event listed from Stripe's API. The payload is minimized (no personal data in Redis), in the
 * event's own API version. `receivedAt` is in milliseconds.
 */
export function stripeWebhookJob(event: StripeEventEnvelope, receivedAt: number): WebhookJob {
  return {
    provider: "stripe",
    eventId: event.id,
    type: event.type,
    objectId: event.objectId,
    eventCreatedAt: event.created * 1000,
    receivedAt,
    payload: minimizeStripePayload(event.payload),
  };
}

/** The job for a Clerk event: the receiver's for a verified delivery, reconciliation's for a listed user. */
export function clerkWebhookJob(event: ClerkEventEnvelope, receivedAt: number): WebhookJob {
  return {
    provider: "clerk",
    eventId: event.id,
    type: event.type,
    objectId: event.objectId,
    eventCreatedAt: event.timestampMs,
    receivedAt,
    payload: minimizeClerkPayload(event.payload),
  };
}
