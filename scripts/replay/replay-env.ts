import { databaseUrl, parseEnv, queuePrefix, redisUrl } from "@wh/core";
import { retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

/** The environment of the replay CLI: the ledger, the queues, and the receiver's retry policy. */
export const replayEnvSchema = z.object({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  ...retryPolicyEnvFields,
});

export type ReplayEnv = z.infer<typeof replayEnvSchema>;

/** Throws ConfigError naming every bad variable (values are never echoed). */
export function loadReplayEnv(env: Record<string, string | undefined>): ReplayEnv {
  return parseEnv(replayEnvSchema, env);
}
