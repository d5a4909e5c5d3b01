import type { PipelinedHandler } from "../handler-types";
import { invoiceSubscriptionPlan } from "./invoice-subscription-plan";
import { invoiceSchema, stripeObject } from "./stripe-payloads";
import { subscriptionStatusChange } from "./subscription-status-change";

/**
 * `invoice.payment_failed`: records the failure once per invoice attempt and marks the
 * subscription `past_due` (the plan stays while Stripe retries). When Stripe will not retry
 * (no `next_payment_attempt`) the failure is final: the subscription becomes `unpaid`, which
 * grants no plan, so `current_plan` goes to NULL. Waits (`deferred`) for a subscription that is
 * not stored yet, recording nothing until it runs.
 *
 * Whether this attempt is recorded is read in the first exchange, under the subscription's lock,
 * which every event recording a failure of this invoice holds (an invoice has one subscription);
 * the insert keeps ON CONFLICT DO NOTHING all the same.
 */
export const applyInvoicePaymentFailed: PipelinedHandler = (job, eventAt) => {
  const invoice = stripeObject(job.payload, invoiceSchema, "invoice");
  const final = invoice.next_payment_attempt === null || invoice.next_payment_attempt === undefined;
  const recorded = () => [
    {
      text: "SELECT 1 FROM invoice_payment_failures WHERE stripe_invoice_id = $1 AND attempt_count = $2",
      values: [invoice.id, invoice.attempt_count],
    },
  ];
  return invoiceSubscriptionPlan(invoice, recorded, (subscription, [failures]) => {
    const userId = subscription.user.id;
    if (failures!.length > 0) {
      return {
        outcome: { status: "skipped_duplicate", reason: `failure of ${invoice.id} attempt ${invoice.attempt_count} already recorded`, userId },
        writes: [],
      };
    }
    const record = {
      text: `INSERT INTO invoice_payment_failures
          (stripe_invoice_id, attempt_count, stripe_subscription_id, final, next_payment_attempt, event_id, failed_at)
        VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7::timestamptz)
        ON CONFLICT (stripe_invoice_id, attempt_count) DO NOTHING`,
      values: [
        invoice.id,
        invoice.attempt_count,
        subscription.stored.stripeSubscriptionId,
        final,
        final ? null : new Date((invoice.next_payment_attempt as number) * 1000).toISOString(),
        job.eventId,
        eventAt.toISOString(),
      ],
    };
    const { change, writes } = subscriptionStatusChange(subscription, { status: final ? "unpaid" : "past_due", eventAt, eventId: job.eventId });
    if (change === "stale") {
      return { outcome: { status: "skipped_stale", reason: "failure recorded; subscription state is newer", userId }, writes: [record] };
    }
    return { outcome: { status: "completed", userId }, writes: [record, ...writes] };
  });
};
