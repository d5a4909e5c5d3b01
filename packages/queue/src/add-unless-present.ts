import { Job, type IRedisTransaction, type JobsOptions, type Queue } from "bullmq";
import type { ChainableCommander } from "ioredis";
import type { SignedWebhookJob } from "./job-signature";
import type { WebhookJob } from "./webhook-job";

/** What held the id before the add; `added` when nothing did and the add created the job. */
export type AddUnlessPresentResult = { added: true } | { added: false; data: unknown; failed: boolean };

/**
 * BullMQ's `add` answers the same for a new job and an existing id (a silent no-op), so telling
 * them apart took a `getJob` first: two Redis exchanges per new delivery. Here the reads that
 * tell (does the job hash exist, its data, is it in the failed set) and BullMQ's own add script
 * go out as one pipeline on the queue's connection: one exchange for a new delivery and for a
 * duplicate. The reads run right before the add on the same connection; a pipeline, not MULTI,
 * so that ioredis can still re-send a script Redis forgot (NOSCRIPT), as BullMQ's addBulk does.
 */
export async function addUnlessPresent(
  queue: Queue<WebhookJob>,
  jobId: string,
  signed: SignedWebhookJob,
  jobOptions: JobsOptions,
): Promise<AddUnlessPresentResult> {
  const client = await queue.client;
  // BullMQ's ioredis adapter hands out an ioredis pipeline with its script runner added.
  const pipeline = client.pipeline() as IRedisTransaction & ChainableCommander;
  const jobKey = queue.toKey(jobId);
  pipeline.exists(jobKey).hget(jobKey, "data").zscore(queue.toKey("failed"), jobId);
  const job = new Job<WebhookJob>(queue, signed.type, signed, { ...queue.jobsOpts, ...jobOptions, jobId }, jobId);
  const queued = job.addJob(pipeline);
  const results = await pipeline.exec();
  await queued;
  if (results?.length !== 4) throw new Error(`pipeline for job ${jobId} was discarded`);
  for (const [error] of results) if (error) throw error;
  const [exists, data, failedScore, addResult] = results.map(([, value]) => value as unknown);
  if (typeof addResult === "number" && addResult < 0) throw new Error(`adding job ${jobId} failed with code ${addResult}`);
  if (exists === 0) return { added: true };
  return { added: false, data: typeof data === "string" ? (JSON.parse(data) as unknown) : undefined, failed: failedScore !== null };
}
