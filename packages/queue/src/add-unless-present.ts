import { Job, type JobsOptions, type Queue } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import { readJobPresence } from "./job-presence-script";
import type { SignedWebhookJob } from "./job-signature";
import type { WebhookJob } from "./webhook-job";

/** What held the id before the add; `added` when nothing did and the add created the job. */
export type AddUnlessPresentResult = { added: true } | { added: false; data: unknown; failed: boolean };

/**
 * BullMQ's `add` answers the same for a new job and an existing id (a silent no-op), so telling
 * them apart took a `getJob` first: two Redis exchanges per new delivery. Here the reads that
 * tell (does the job hash exist, its data, is it in the failed set: one script,
 * job-presence-script.ts) and BullMQ's own add script are issued together on the queue's
 * connection, reads first, without waiting in between: one exchange for a new delivery and for a
 * duplicate. On the producer connection (auto-pipelining)
 * they leave in one socket write, batched with the other deliveries of the same event-loop turn.
 * Not MULTI: ioredis can then still re-send a script Redis forgot (NOSCRIPT).
 */
export async function addUnlessPresent(
  queue: Queue<WebhookJob>,
  jobId: string,
  signed: SignedWebhookJob,
  jobOptions: JobsOptions,
): Promise<AddUnlessPresentResult> {
  const client = await queue.client;
  // BullMQ's client type lists only what BullMQ calls; it is the ioredis connection we gave it.
  const redis = client as unknown as Redis | Cluster;
  const jobKey = queue.toKey(jobId);
  const job = new Job<WebhookJob>(queue, signed.type, signed, { ...queue.jobsOpts, ...jobOptions, jobId }, jobId);
  const [[exists, data, failedScore]] = await Promise.all([readJobPresence(redis, jobKey, queue.toKey("failed"), jobId), job.addJob(client)]);
  if (exists === 0) return { added: true };
  return { added: false, data: typeof data === "string" ? (JSON.parse(data) as unknown) : undefined, failed: failedScore !== null };
}
