import type { WebhookProvider } from "./webhook-job";

/** One queue per provider, so a flood from one cannot starve the other. */
export const WEBHOOK_QUEUE_NAMES: Record<WebhookProvider, string> = {
  stripe: "webhooks-stripe",
  clerk: "webhooks-clerk",
};
