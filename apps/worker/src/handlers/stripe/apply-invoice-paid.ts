import type { StoredSubscription } from "../../users/recompute-current-plan";
import type { PipelinedHandler, SettledOutcome } from "../handler-types";
import { invoiceSubscriptionPlan } from "./invoice-subscription-plan";
import { invoiceSchema, stripeObject } from "./stripe-payloads";
import { subscriptionStatusChange, type StatusChange } from "./subscription-status-change";

/** The statuses a payment failure sets (apply-invoice-payment-failed.ts), and so a payment may lift. */
const SET_BY_PAYMENT_FAILURE = new Set(["past_due", "unpaid"]);

/**
 * When the subscription's newest recorded payment failure happened. Read in the first exchange,
 * under the subscription's lock, which every event recording a failure of it holds too.
 */
const LAST_FAILURE = `SELECT max(failed_at) AS "lastFailedAt" FROM invoice_payment_failures WHERE stripe_subscription_id = $1`;

/**
 * `invoice.paid` / `invoice.payment_succeeded`: a paid invoice restores `active` after a payment
 * failure of the same subscription — and does nothing else. It never changes `paused`,
 * `trialing` or `incomplete` (a trial's $0 invoice is paid at signup, before the trial ends),
 * never revives a terminal status, and never overrides newer subscription state (the watermark).
 * Those states change through the subscription's own events, which Stripe sends as well.
 * Waits (`deferred`) for a subscription that is not stored yet.
 */
export const applyInvoicePaid: PipelinedHandler = (job, eventAt) => {
  const invoice = stripeObject(job.payload, invoiceSchema, "invoice");
  const lastFailure = (subscriptionId: string) => [{ text: LAST_FAILURE, values: [subscriptionId] }];
  return invoiceSubscriptionPlan(invoice, lastFailure, (subscription, [failures]) => {
    const { lastFailedAt } = (failures as { lastFailedAt: Date | null }[])[0]!;
    const { change, writes } = subscriptionStatusChange(
      subscription,
      { status: "active", eventAt, eventId: job.eventId },
      () => stateCameFromPaymentFailure(subscription.stored, lastFailedAt),
    );
    return { outcome: { ...paidOutcome(change), userId: subscription.user.id }, writes };
  });
};

function paidOutcome(change: StatusChange): SettledOutcome {
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
function stateCameFromPaymentFailure(stored: StoredSubscription, lastFailedAt: Date | null): boolean {
  if (!SET_BY_PAYMENT_FAILURE.has(stored.status)) return false;
  return lastFailedAt !== null && lastFailedAt.getTime() >= stored.lastEventAt.getTime();
}
