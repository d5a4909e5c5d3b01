import type { JobsOptions } from "bullmq";

export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  /** First backoff delay; each next one doubles, with jitter. */
  backoffMs: number;
  /** Seconds a completed job stays in Redis (fast-path dedupe of re-deliveries). */
  keepCompletedSeconds: number;
  /** Seconds a failed job stays in Redis for inspection and replay. */
  keepFailedSeconds: number;
}

/** Defaults span more than an hour of retries: 2 s × (2^12 − 1) ≈ 2.3 h before an event is dead. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 12,
  backoffMs: 2_000,
  keepCompletedSeconds: 24 * 3600,
  keepFailedSeconds: 14 * 24 * 3600,
};

export function webhookJobOptions(policy: RetryPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: "exponential", delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: policy.keepCompletedSeconds },
    removeOnFail: { age: policy.keepFailedSeconds },
  };
}
