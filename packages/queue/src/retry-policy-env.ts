import { positiveInt } from "@wh/core";
import { z } from "zod";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./job-options";

/** The env fields every producer (receiver, replay CLI) reads to build the same job options. */
export const retryPolicyEnvFields = {
  JOB_ATTEMPTS: positiveInt(DEFAULT_RETRY_POLICY.attempts),
  JOB_BACKOFF_MS: positiveInt(DEFAULT_RETRY_POLICY.backoffMs),
  JOB_KEEP_COMPLETED_SECONDS: positiveInt(DEFAULT_RETRY_POLICY.keepCompletedSeconds),
  JOB_KEEP_FAILED_SECONDS: positiveInt(DEFAULT_RETRY_POLICY.keepFailedSeconds),
  JOB_KEEP_COMPLETED_COUNT: positiveInt(DEFAULT_RETRY_POLICY.keepCompletedCount),
  JOB_KEEP_FAILED_COUNT: positiveInt(DEFAULT_RETRY_POLICY.keepFailedCount),
};

type RetryPolicyEnv = { [K in keyof typeof retryPolicyEnvFields]: z.infer<(typeof retryPolicyEnvFields)[K]> };

export function retryPolicyFromEnv(env: RetryPolicyEnv): RetryPolicy {
  return {
    attempts: env.JOB_ATTEMPTS,
    backoffMs: env.JOB_BACKOFF_MS,
    keepCompletedSeconds: env.JOB_KEEP_COMPLETED_SECONDS,
    keepFailedSeconds: env.JOB_KEEP_FAILED_SECONDS,
    keepCompletedCount: env.JOB_KEEP_COMPLETED_COUNT,
    keepFailedCount: env.JOB_KEEP_FAILED_COUNT,
  };
}
