import type { WebhookJob } from "./webhook-job";

/**
 * The Stripe customer a delivery is about, read from its (minimized) payload: the object's
 * `customer`, or the object itself when it is a customer. Stored in the ledger so operators find
 * one customer's events, failed and dead ones included. Null for Clerk and for objects without one.
 */
export function stripeCustomerOf(job: WebhookJob): string | null {
  if (job.provider !== "stripe") return null;
  const data = job.payload.data as { object?: { id?: unknown; object?: unknown; customer?: unknown } } | undefined;
  const object = data?.object;
  if (typeof object?.customer === "string") return object.customer;
  return object?.object === "customer" && typeof object.id === "string" ? object.id : null;
}
