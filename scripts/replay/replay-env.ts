import { databaseUrl, parseEnv } from "@wh/core";
import { checkQueueEnv, jobSigningEnvFields, queueEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

/** The environment of the replay CLI: the ledger, the queues, the receiver's retry policy and job signing key. */
export const replayEnvSchema = z
  .object({
    DATABASE_URL: databaseUrl,
    ...queueEnvFields,
    ...retryPolicyEnvFields,
    ...jobSigningEnvFields,
  })
  .superRefine(checkQueueEnv, { when: () => true });

export type ReplayEnv = z.infer<typeof replayEnvSchema>;

/** Throws ConfigError naming every bad variable (values are never echoed). */
export function loadReplayEnv(env: Record<string, string | undefined>): ReplayEnv {
  return parseEnv(replayEnvSchema, env);
}
