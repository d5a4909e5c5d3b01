import type { WebhookProvider } from "@wh/queue";

/**
 * The events `ops-cli trigger` can send, with their provider and what each needs: `plan` (the
 * price on the subscription) and `subscription` (an existing one, unless --subscription names it).
 */
export const TRIGGER_EVENTS = {
  "checkout.session.completed": { provider: "stripe", needsPlan: false, needsSubscription: false },
  "customer.subscription.created": { provider: "stripe", needsPlan: true, needsSubscription: false },
  "customer.subscription.updated": { provider: "stripe", needsPlan: true, needsSubscription: true },
  "customer.subscription.deleted": { provider: "stripe", needsPlan: true, needsSubscription: true },
  "invoice.paid": { provider: "stripe", needsPlan: false, needsSubscription: true },
  "invoice.payment_failed": { provider: "stripe", needsPlan: false, needsSubscription: true },
  "user.created": { provider: "clerk", needsPlan: false, needsSubscription: false },
  "user.updated": { provider: "clerk", needsPlan: false, needsSubscription: false },
  "user.deleted": { provider: "clerk", needsPlan: false, needsSubscription: false },
} as const satisfies Record<string, { provider: WebhookProvider; needsPlan: boolean; needsSubscription: boolean }>;

export type TriggerEvent = keyof typeof TRIGGER_EVENTS;

export const TRIGGER_EVENT_NAMES = Object.keys(TRIGGER_EVENTS) as TriggerEvent[];
