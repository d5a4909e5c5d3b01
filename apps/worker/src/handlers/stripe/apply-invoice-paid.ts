import { COMPLETED, type EventHandler } from "../handler-types";
import { applySubscriptionStatus } from "./apply-subscription-status";
import { lockInvoiceSubscription } from "./lock-invoice-subscription";
import { invoiceSchema, invoiceSubscriptionId, stripeObject } from "./stripe-payloads";

/**
 * `invoice.paid` / `invoice.payment_succeeded`: a paid invoice keeps the plan, or restores it
 * after `past_due` / `unpaid` / `incomplete`, by making the subscription `active` — unless
 * newer subscription state (for example a cancellation) already superseded it. Waits
 * (`deferred`) for a subscription that is not stored yet.
 */
export const applyInvoicePaid: EventHandler = async ({ tx, job, eventAt }) => {
  const invoice = stripeObject(job.payload, invoiceSchema, "invoice");
  const subscriptionId = invoiceSubscriptionId(invoice);
  if (!subscriptionId) return { status: "ignored", reason: "invoice without a subscription" };
  const subscription = await lockInvoiceSubscription(tx, subscriptionId);
  if ("deferred" in subscription) return subscription.deferred;

  const change = await applySubscriptionStatus(tx, subscription.stored, { status: "active", eventAt, eventId: job.eventId });
  switch (change) {
    case "applied":
      return COMPLETED;
    case "unchanged":
      return { status: "skipped_duplicate", reason: "subscription already active" };
    case "stale":
      return { status: "skipped_stale", reason: "subscription state is newer" };
  }
};
