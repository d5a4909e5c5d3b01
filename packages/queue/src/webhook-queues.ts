import { Queue } from "bullmq";
import { shardEntityOf, shardFor, webhookQueueShards } from "./queue-shards";
import type { RedisConnection } from "./redis-connection";
import { WEBHOOK_PROVIDERS, type WebhookJob, type WebhookProvider } from "./webhook-job";

/** One queue per provider: the queues of one shard. */
export type WebhookQueueSet = Record<WebhookProvider, Queue<WebhookJob>>;

/**
 * Every shard's queues (WEBHOOK_QUEUE_SHARDS, shard 0 first). `stripe` and `clerk` are shard 0's:
 * the only queues when there is one shard. Code that places or finds a delivery's job uses
 * `webhookQueueOf`, which picks its shard.
 */
export type WebhookQueues = WebhookQueueSet & { readonly shards: readonly WebhookQueueSet[] };

export function createWebhookQueues(connection: RedisConnection, prefix: string, shardCount = 1): WebhookQueues {
  const shards = webhookQueueShards(prefix, shardCount).map(({ prefix: shardPrefix, names }) => {
    const entries = WEBHOOK_PROVIDERS.map(
      (provider) => [provider, new Queue<WebhookJob>(names[provider], { connection, prefix: shardPrefix })] as const,
    );
    return Object.fromEntries(entries) as WebhookQueueSet;
  });
  return { ...shards[0]!, shards };
}

/** The queue of a delivery: its provider's queue in the shard of its entity (no hashing with one shard). */
export function webhookQueueOf(queues: WebhookQueues, job: WebhookJob): Queue<WebhookJob> {
  const count = queues.shards.length;
  if (count === 1) return queues[job.provider];
  return queues.shards[shardFor(job.provider, shardEntityOf(job), count)]![job.provider];
}

/** Every webhook queue, shard by shard: what boards, metrics and cleanups list. */
export function allWebhookQueues(queues: WebhookQueues): Queue<WebhookJob>[] {
  return queues.shards.flatMap((shard) => WEBHOOK_PROVIDERS.map((provider) => shard[provider]));
}

export async function closeWebhookQueues(queues: WebhookQueues): Promise<void> {
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.close()));
}
