import {
  booleanFlag,
  logLevel,
  parseEnv,
  port,
  positiveInt,
  queuePrefix,
  redisUrl,
  secretList,
} from "@wh/core";
import { jobSigningEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

const receiverEnvSchema = z.object({
  RECEIVER_PORT: port(3000),
  /** Loopback by default; set 0.0.0.0 behind a load balancer. */
  RECEIVER_HOST: z.string().default("127.0.0.1"),
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  STRIPE_WEBHOOK_SECRET: secretList("whsec_"),
  CLERK_WEBHOOK_SECRET: secretList("whsec_"),
  /** Upper bound for Redis to confirm a job; providers get 503 and retry past it. */
  ENQUEUE_TIMEOUT_MS: positiveInt(2_000).refine((ms) => ms <= 2_000, "must be at most 2000 ms"),
  /** Express `trust proxy`: false, true, a hop count or a list of addresses. */
  TRUST_PROXY: z.string().default("false"),
  LOG_LEVEL: logLevel,
  LOG_PRETTY: booleanFlag(false),
  ...retryPolicyEnvFields,
  ...jobSigningEnvFields,
});

export type ReceiverEnv = z.infer<typeof receiverEnvSchema>;

export function loadReceiverEnv(env: NodeJS.ProcessEnv = process.env): ReceiverEnv {
  return parseEnv(receiverEnvSchema, env);
}

/** Turns TRUST_PROXY into the value Express expects. */
export function trustProxySetting(raw: string): boolean | number | string {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}
