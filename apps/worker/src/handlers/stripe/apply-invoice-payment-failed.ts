import { COMPLETED, type EventHandler } from "../handler-types";
import { applySubscriptionStatus } from "./apply-subscription-status";
import { lockInvoiceSubscription } from "./lock-invoice-subscription";
import { invoiceSchema, invoiceSubscriptionId, stripeObject } from "./stripe-payloads";

/**
 * `invoice.payment_failed`: records the failure once per invoice attempt and marks the
 * subscription `past_due` (the plan stays while Stripe retries). When Stripe will not retry
 * (no `next_payment_attempt`) the failure is final: the subscription becomes `unpaid`, which
 * grants no plan, so `current_plan` goes to NULL. Waits (`deferred`) for a subscription that is
 * not stored yet, recording nothing until it runs.
 */
export const applyInvoicePaymentFailed: EventHandler = async ({ tx, job, eventAt }) => {
  const invoice = stripeObject(job.payload, invoiceSchema, "invoice");
  const subscriptionId = invoiceSubscriptionId(invoice);
  if (!subscriptionId) return { status: "ignored", reason: "invoice without a subscription" };
  const subscription = await lockInvoiceSubscription(tx, subscriptionId);
  if ("deferred" in subscription) return subscription.deferred;

  const final = invoice.next_payment_attempt === null || invoice.next_payment_attempt === undefined;
  const inserted = await tx.$executeRaw`
    INSERT INTO invoice_payment_failures
      (stripe_invoice_id, attempt_count, stripe_subscription_id, final, next_payment_attempt, event_id, failed_at)
    VALUES (${invoice.id}, ${invoice.attempt_count}, ${subscriptionId}, ${final},
            ${final ? null : new Date((invoice.next_payment_attempt as number) * 1000)}, ${job.eventId}, ${eventAt})
    ON CONFLICT (stripe_invoice_id, attempt_count) DO NOTHING`;
  const userId = subscription.stored.userId;
  if (inserted === 0) {
    return { status: "skipped_duplicate", reason: `failure of ${invoice.id} attempt ${invoice.attempt_count} already recorded`, userId };
  }
  const change = await applySubscriptionStatus(tx, subscription.stored, {
    status: final ? "unpaid" : "past_due",
    eventAt,
    eventId: job.eventId,
  });
  if (change === "stale") return { status: "skipped_stale", reason: "failure recorded; subscription state is newer", userId };
  return { ...COMPLETED, userId };
};
