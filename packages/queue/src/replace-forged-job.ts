import type { JobsOptions, Queue } from "bullmq";
import type { SignedWebhookJob } from "./job-signature";
import type { WebhookJob } from "./webhook-job";

/** How often to look again while a worker still holds the job being replaced. */
const POLL_MS = 25;

/**
 * Puts a signed job under an id held by a job that fails verification (forged, or signed with a
 * key no longer accepted): the occupant is removed and the signed job added in its place, so the
 * real delivery runs instead of being taken for a duplicate of the forgery.
 *
 * An occupant a worker is running (active, locked) cannot be removed: BullMQ refuses to remove a
 * locked job. The worker refuses that job before anything else and deletes it in the same step
 * that releases its lock, within milliseconds; so we look again every POLL_MS for up to `waitMs`,
 * then throw. The receiver then answers 503 and the provider retries; replay reports an error.
 */
export async function replaceForgedJob(
  queue: Queue<WebhookJob>,
  jobId: string,
  signed: SignedWebhookJob,
  jobOptions: JobsOptions,
  waitMs: number,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await queue.remove(jobId)) !== 1) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (Date.now() >= deadline) throw new Error(`job ${jobId} fails verification and a worker still holds it; try again`);
  }
  await queue.add(signed.type, signed, { ...jobOptions, jobId });
}
