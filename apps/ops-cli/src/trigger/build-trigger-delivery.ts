import {
  checkoutSession,
  clerkUserDeletedEvent,
  clerkUserEvent,
  invoiceObject,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  uniqueId,
} from "@wh/provider-events";
import type { WebhookProvider } from "@wh/queue";
import type { TriggerSubject } from "./resolve-trigger-subject";
import { TRIGGER_EVENTS, type TriggerEvent } from "./trigger-events";

/** One signed delivery, as the provider would POST it. */
export interface TriggerDelivery {
  provider: WebhookProvider;
  /** Stripe `evt_…`, or Clerk's `svix-id` (`msg_…`): the ledger's event id. */
  eventId: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** Stripe retries a failed invoice payment for days; the next attempt of a triggered failure. */
const NEXT_PAYMENT_ATTEMPT_SECONDS = 3 * 86_400;

/** Builds the event's payload in the provider's shape (the same builders the tests use) and signs it. */
export function buildTriggerDelivery(event: TriggerEvent, subject: TriggerSubject, plan: string | undefined, secret: string): TriggerDelivery {
  if (TRIGGER_EVENTS[event].provider === "clerk") {
    const payload =
      event === "user.deleted"
        ? clerkUserDeletedEvent(subject.clerkUserId, subject.eventAtMs)
        : clerkUserEvent(event as "user.created" | "user.updated", { id: subject.clerkUserId, email: subject.email }, subject.eventAtMs);
    const msgId = uniqueId("msg");
    const signed = signClerk(payload, secret, { msgId });
    return { provider: "clerk", eventId: msgId, path: "/webhooks/clerk", ...signed };
  }
  const created = Math.floor(subject.eventAtMs / 1_000);
  const payload = stripeEvent(event, stripeObject(event, subject, plan, created), { created });
  return { provider: "stripe", eventId: payload.id as string, path: "/webhooks/stripe", ...signStripe(payload, secret) };
}

function stripeObject(event: TriggerEvent, subject: TriggerSubject, plan: string | undefined, created: number): Record<string, unknown> {
  const subscriptionId = subject.subscriptionId ?? "";
  switch (event) {
    case "checkout.session.completed":
      return checkoutSession({ clerkUserId: subject.clerkUserId, customerId: subject.customerId });
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionObject({
        id: subscriptionId,
        customerId: subject.customerId,
        status: event === "customer.subscription.deleted" ? "canceled" : "active",
        plan: plan ?? "",
        periodStart: created,
        // Checkout puts the Clerk id on the subscription (subscription_data.metadata).
        clerkUserId: subject.clerkUserId,
      });
    case "invoice.paid":
      return invoiceObject({ subscriptionId, nextPaymentAttempt: null });
    case "invoice.payment_failed":
      return invoiceObject({ subscriptionId, nextPaymentAttempt: created + NEXT_PAYMENT_ATTEMPT_SECONDS });
    default:
      throw new Error(`${event} is not a Stripe event`);
  }
}
