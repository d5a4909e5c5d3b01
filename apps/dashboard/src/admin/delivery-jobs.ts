import { replayJobId, webhookJobId, type WebhookProvider, type WebhookQueues } from "@wh/queue";

export interface DeliveryJobState {
  jobId: string;
  state: string;
  attemptsMade: number;
  failedReason: string | null;
}

/** How many replay ids the detail page looks at past the producer job (replays stop at the first missing id). */
const MAX_LISTED_REPLAYS = 20;

/** The BullMQ jobs of one delivery still in Redis: its producer job, then its replay jobs in order. */
export async function deliveryJobs(queues: WebhookQueues, provider: WebhookProvider, eventId: string): Promise<DeliveryJobState[]> {
  const queue = queues[provider];
  const ids = [webhookJobId(provider, eventId)];
  const found: DeliveryJobState[] = [];
  const producer = await queue.getJob(ids[0]!);
  if (producer) found.push({ jobId: producer.id!, state: await producer.getState(), attemptsMade: producer.attemptsMade, failedReason: producer.failedReason ?? null });
  for (let n = 1; n <= MAX_LISTED_REPLAYS; n += 1) {
    const job = await queue.getJob(replayJobId(provider, eventId, n));
    if (!job) break;
    found.push({ jobId: job.id!, state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason ?? null });
  }
  return found;
}
