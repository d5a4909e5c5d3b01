import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { WEBHOOK_PROVIDERS, type WebhookJob, type WebhookProvider } from "./webhook-job";

export type WebhookQueues = Record<WebhookProvider, Queue<WebhookJob>>;

export function createWebhookQueues(connection: Redis, prefix: string): WebhookQueues {
  const entries = WEBHOOK_PROVIDERS.map(
    (provider) => [provider, new Queue<WebhookJob>(WEBHOOK_QUEUE_NAMES[provider], { connection, prefix })] as const,
  );
  return Object.fromEntries(entries) as WebhookQueues;
}

export async function closeWebhookQueues(queues: WebhookQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}
