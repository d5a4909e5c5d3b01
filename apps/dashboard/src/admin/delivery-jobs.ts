import { replayJobId, webhookJobId, type WebhookJob, type WebhookProvider, type WebhookQueues } from "@wh/queue";
import type { Queue } from "bullmq";

export interface DeliveryJobState {
  jobId: string;
  state: string;
  attemptsMade: number;
  failedReason: string | null;
}

/** How many replay ids the detail page looks at past the producer job (replays stop at the first missing id). */
const MAX_LISTED_REPLAYS = 20;

/**
 * The BullMQ jobs of one delivery still in Redis: its producer job, then its replay jobs in order.
 * Looked up in every shard's queue of the provider (one with WEBHOOK_QUEUE_SHARDS=1): the page
 * shows what Redis holds, wherever it is.
 */
export async function deliveryJobs(queues: WebhookQueues, provider: WebhookProvider, eventId: string): Promise<DeliveryJobState[]> {
  const perShard = await Promise.all(queues.shards.map((shard) => jobsInQueue(shard[provider], provider, eventId)));
  return perShard.flat();
}

async function jobsInQueue(queue: Queue<WebhookJob>, provider: WebhookProvider, eventId: string): Promise<DeliveryJobState[]> {
  const found: DeliveryJobState[] = [];
  const producer = await queue.getJob(webhookJobId(provider, eventId));
  if (producer) found.push({ jobId: producer.id!, state: await producer.getState(), attemptsMade: producer.attemptsMade, failedReason: producer.failedReason ?? null });
  for (let n = 1; n <= MAX_LISTED_REPLAYS; n += 1) {
    const job = await queue.getJob(replayJobId(provider, eventId, n));
    if (!job) break;
    found.push({ jobId: job.id!, state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason ?? null });
  }
  return found;
}
