import type { Job } from "bullmq";

/** Whether BullMQ will not run a failed job again: poison (UnrecoverableError) or no attempt left. */
export function isFinalFailure(job: Job, error: Error): boolean {
  return error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
}
