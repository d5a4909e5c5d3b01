import type { WebhookProvider } from "@wh/queue";
import { applyUserDeleted } from "./clerk/apply-user-deleted";
import { applyUserUpsert } from "./clerk/apply-user-upsert";
import type { EventHandler } from "./handler-types";
import { applyCheckoutSessionCompleted } from "./stripe/apply-checkout-session-completed";
import { applyInvoicePaid } from "./stripe/apply-invoice-paid";
import { applyInvoicePaymentFailed } from "./stripe/apply-invoice-payment-failed";
import { applySubscriptionEvent } from "./stripe/apply-subscription-event";

/** Every event type the workers apply; any other type is recorded as `ignored`. */
const HANDLERS: Record<WebhookProvider, Record<string, EventHandler>> = {
  stripe: {
    "checkout.session.completed": applyCheckoutSessionCompleted,
    "customer.subscription.created": applySubscriptionEvent,
    "customer.subscription.updated": applySubscriptionEvent,
    "customer.subscription.deleted": applySubscriptionEvent,
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

export function handlerFor(provider: WebhookProvider, type: string): EventHandler | undefined {
  return HANDLERS[provider][type];
}
