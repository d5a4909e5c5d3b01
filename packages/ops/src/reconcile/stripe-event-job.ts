import type { WebhookJob } from "@wh/queue";
import { minimizeStripePayload } from "@wh/webhooks";
import type Stripe from "stripe";

/**
 * The job the receiver would have enqueued had the event's delivery reached it: the same fields
 * and the same minimized payload, in the event's own API version (the worker's handlers read
 * both the pre- and post-2025 shapes). `receivedAt` is the time reconciliation found it.
 */
export function stripeEventJob(event: Stripe.Event, receivedAt: Date): WebhookJob {
  const object = event.data.object as { id?: unknown };
  return {
    provider: "stripe",
    eventId: event.id,
    type: event.type,
    objectId: typeof object.id === "string" ? object.id : undefined,
    eventCreatedAt: event.created * 1000,
    receivedAt: receivedAt.getTime(),
    payload: minimizeStripePayload(event as unknown as Record<string, unknown>),
  };
}
