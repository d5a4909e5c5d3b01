import type { WebhookProvider } from "@wh/queue";
import { applyUserDeleted } from "./clerk/apply-user-deleted";
import { applyUserUpsert } from "./clerk/apply-user-upsert";
import type { PipelinedHandler } from "./handler-types";
import { applyCheckoutSessionCompleted } from "./stripe/apply-checkout-session-completed";
import { applyInvoicePaid } from "./stripe/apply-invoice-paid";
import { applyInvoicePaymentFailed } from "./stripe/apply-invoice-payment-failed";
import { applySubscriptionEvent } from "./stripe/apply-subscription-event";

/**
 * Every event type the workers apply, each on plain `pg` in pipelined exchanges (see
 * apply-webhook-event.ts); any other type is recorded as `ignored`.
 */
const PIPELINED_HANDLERS: Record<WebhookProvider, Record<string, PipelinedHandler>> = {
  stripe: {
    "customer.subscription.created": applySubscriptionEvent,
    "customer.subscription.updated": applySubscriptionEvent,
    "customer.subscription.deleted": applySubscriptionEvent,
    "checkout.session.completed": applyCheckoutSessionCompleted,
    "invoice.paid": applyInvoicePaid,
    "invoice.payment_succeeded": applyInvoicePaid,
    "invoice.payment_failed": applyInvoicePaymentFailed,
  },
  clerk: {
    "user.created": applyUserUpsert,
    "user.updated": applyUserUpsert,
    "user.deleted": applyUserDeleted,
  },
};

export function pipelinedHandlerFor(provider: WebhookProvider, type: string): PipelinedHandler | undefined {
  return PIPELINED_HANDLERS[provider][type];
}

/** Every event type the workers apply for a provider (the Stripe reconciliation lists only these). */
export function handledEventTypes(provider: WebhookProvider): string[] {
  return Object.keys(PIPELINED_HANDLERS[provider]);
}
