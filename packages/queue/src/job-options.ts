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
  /** At most this many completed jobs per queue stay in Redis, whatever their age. */
  keepCompletedCount: number;
  /** At most this many failed jobs per queue stay in Redis (the ledger keeps every dead event). */
  keepFailedCount: number;
}

/**
 * Defaults span more than an hour of retries: 2 s × (2^12 − 1) ≈ 2.3 h before an event is dead.
 * Retention is capped by count as well as age, so a spike cannot fill Redis (with `noeviction`
 * a full Redis refuses writes and the receiver answers 503): a job is a few KB, so the caps hold
 * a queue's kept jobs to a few hundred MB at worst.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 12,
  backoffMs: 2_000,
  keepCompletedSeconds: 24 * 3600,
  keepFailedSeconds: 14 * 24 * 3600,
  keepCompletedCount: 50_000,
  keepFailedCount: 50_000,
};

export function webhookJobOptions(policy: RetryPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: "exponential", delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: policy.keepCompletedSeconds, count: policy.keepCompletedCount },
    removeOnFail: { age: policy.keepFailedSeconds, count: policy.keepFailedCount },
  };
}
