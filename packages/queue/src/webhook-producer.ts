import type { JobsOptions } from "bullmq";
import { addUnlessPresent } from "./add-unless-present";
import { checkJobSignature, signWebhookJob, type JobSigningKeys } from "./job-signature";
import { replaceForgedJob } from "./replace-forged-job";
import { retryFailedJob } from "./retry-failed-job";
import { webhookJobId, type WebhookJob } from "./webhook-job";
import { webhookQueueOf, type WebhookQueues } from "./webhook-queues";

/**
 * `enqueued`: new job; `duplicate`: already waiting, active or done; `retried`: was failed, runs
 * again; `replaced`: a job that fails verification held the id and was replaced by this one.
 */
export type EnqueueOutcome = "enqueued" | "duplicate" | "retried" | "replaced";

/** Redis did not confirm the job in time; the caller must not acknowledge the delivery. */
export class QueueUnavailableError extends Error {
  override readonly name = "QueueUnavailableError";
}

export interface WebhookProducerOptions {
  queues: WebhookQueues;
  jobOptions: JobsOptions;
  /** Upper bound on one enqueue, so a slow Redis turns into a 503 instead of a hang. */
  timeoutMs: number;
  /** JOB_SIGNING_KEY: every job is signed with the first; an existing job must verify under one. */
  signingKeys: JobSigningKeys;
}

/**
 * Adds one job per provider delivery, keyed by the provider's id. Adding an existing id is a
 * no-op in BullMQ even when that job failed; a failed job is therefore retried, which is how a
 * provider's re-delivery (or an operator's replay) recovers a failed event. Every job is signed
 * (job-signature.ts); an existing job that fails verification is not the delivery's job but a
 * forgery sitting on its id, and is replaced (replace-forged-job.ts).
 */
export class WebhookProducer {
  constructor(private readonly options: WebhookProducerOptions) {}

  async enqueue(job: WebhookJob): Promise<EnqueueOutcome> {
    // Outside the timeout wrapper: an impossible id is a caller's bug, not an unavailable queue.
    const jobId = webhookJobId(job.provider, job.eventId);
    return withTimeout(this.enqueueUnbounded(job, jobId), this.options.timeoutMs);
  }

  private async enqueueUnbounded(data: WebhookJob, jobId: string): Promise<EnqueueOutcome> {
    const queue = webhookQueueOf(this.options.queues, data);
    const signed = signWebhookJob(data, this.options.signingKeys);
    const existing = await addUnlessPresent(queue, jobId, signed, this.options.jobOptions);
    if (existing.added) return "enqueued";
    if (!checkJobSignature(existing.data, this.options.signingKeys).ok) {
      await replaceForgedJob(queue, jobId, signed, this.options.jobOptions, this.options.timeoutMs);
      return "replaced";
    }
    if (!existing.failed) return "duplicate";
    const failedJob = await queue.getJob(jobId);
    // Removed (cleaned) since the read: nothing holds the id any more, so add it after all.
    if (!failedJob) return this.enqueueUnbounded(data, jobId);
    return (await retryFailedJob(failedJob)) ? "retried" : "duplicate";
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    throw new QueueUnavailableError(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
