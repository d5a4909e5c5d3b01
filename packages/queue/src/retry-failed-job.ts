import type { Job } from "bullmq";

/**
 * Moves a failed job back to waiting with its attempts reset. False when someone else (a
 * concurrent re-delivery or replay) retried it first: the job runs again either way.
 */
export async function retryFailedJob(job: Job): Promise<boolean> {
  try {
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch (error) {
    if ((await job.getState()) !== "failed") return false;
    throw error;
  }
}
