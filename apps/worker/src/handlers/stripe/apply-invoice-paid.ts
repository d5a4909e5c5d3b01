import { type EventHandler, type SettledOutcome, type Tx } from "../handler-types";
import { applySubscriptionStatus } from "./apply-subscription-status";
import { lockInvoiceSubscription, type StoredSubscription } from "./lock-invoice-subscription";
import { invoiceSchema, invoiceSubscriptionId, stripeObject } from "./stripe-payloads";

/** The statuses a payment failure sets (apply-invoice-payment-failed.ts), and so a payment may lift. */
const SET_BY_PAYMENT_FAILURE = new Set(["past_due", "unpaid"]);

/**
 * `invoice.paid` / `invoice.payment_succeeded`: a paid invoice restores `active` after a payment
 * failure of the same subscription — and does nothing else. It never changes `paused`,
 * `trialing` or `incomplete` (a trial's $0 invoice is paid at signup, before the trial ends),
 * never revives a terminal status, and never overrides newer subscription state (the watermark).
 * Those states change through the subscription's own events, which Stripe sends as well.
 * Waits (`deferred`) for a subscription that is not stored yet.
 */
export const applyInvoicePaid: EventHandler = async ({ tx, job, eventAt }) => {
  const invoice = stripeObject(job.payload, invoiceSchema, "invoice");
  const subscriptionId = invoiceSubscriptionId(invoice);
  if (!subscriptionId) return { status: "ignored", reason: "invoice without a subscription" };
  const subscription = await lockInvoiceSubscription(tx, subscriptionId);
  if ("deferred" in subscription) return subscription.deferred;

  return { ...(await applyPaidStatus(tx, subscription.stored, eventAt, job.eventId)), userId: subscription.stored.userId };
};

async function applyPaidStatus(tx: Tx, stored: StoredSubscription, eventAt: Date, eventId: string): Promise<SettledOutcome> {
  const change = await applySubscriptionStatus(
    tx,
    stored,
    { status: "active", eventAt, eventId },
    (stored) => stateCameFromPaymentFailure(tx, stored),
  );
  switch (change) {
    case "applied":
      return { status: "completed" };
    case "unchanged":
      return { status: "skipped_duplicate", reason: "subscription already active" };
    case "stale":
      return { status: "skipped_stale", reason: "subscription state is newer" };
    case "kept":
      return { status: "ignored", reason: "a paid invoice changes only a status set by a recorded payment failure" };
  }
}

/**
 * Whether the subscription's status is the one a recorded payment failure of this subscription
 * set or confirmed. A failure at or after the watermark was applied over the stored state (or
 * found it already there); any later state change would have moved the watermark past it.
 */
async function stateCameFromPaymentFailure(tx: Tx, stored: StoredSubscription): Promise<boolean> {
  if (!SET_BY_PAYMENT_FAILURE.has(stored.status)) return false;
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM invoice_payment_failures
    WHERE stripe_subscription_id = ${stored.stripeSubscriptionId} AND failed_at >= ${stored.lastEventAt}
    LIMIT 1`;
  return rows.length > 0;
}
