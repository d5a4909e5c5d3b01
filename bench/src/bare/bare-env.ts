import { databaseUrl, parseEnv, port, positiveInt, queuePrefix, redisUrl, secretList } from "@wh/core";
import { z } from "zod";

/** The bare baselines read the same variables as the apps they stand in for, plus BARE_PORT. */
const bareReceiverEnvSchema = z.object({
  /** 0 picks a free port; the listening address is printed on stdout. */
  BARE_PORT: port(0),
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  STRIPE_WEBHOOK_SECRET: secretList("whsec_"),
  CLERK_WEBHOOK_SECRET: secretList("whsec_"),
});

const bareWorkerEnvSchema = z.object({
  REDIS_URL: redisUrl,
  DATABASE_URL: databaseUrl,
  QUEUE_PREFIX: queuePrefix,
  WORKER_CONCURRENCY: positiveInt(4),
  DATABASE_POOL_MAX: positiveInt(10),
});

export type BareReceiverEnv = z.infer<typeof bareReceiverEnvSchema>;
export type BareWorkerEnv = z.infer<typeof bareWorkerEnvSchema>;

export function loadBareReceiverEnv(env: NodeJS.ProcessEnv = process.env): BareReceiverEnv {
  return parseEnv(bareReceiverEnvSchema, env);
}

export function loadBareWorkerEnv(env: NodeJS.ProcessEnv = process.env): BareWorkerEnv {
  return parseEnv(bareWorkerEnvSchema, env);
}
