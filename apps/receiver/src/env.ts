import {
  booleanFlag,
  logLevel,
  parseEnv,
  port,
  positiveInt,
  secretList,
  trustProxy,
} from "@wh/core";
import { checkQueueEnv, jobSigningEnvFields, queueEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

const receiverEnvSchema = z.object({
  RECEIVER_PORT: port(3000),
  /** Loopback by default; set 0.0.0.0 behind a load balancer. */
  RECEIVER_HOST: z.string().default("127.0.0.1"),
  /** /readyz and /metrics, never on the public port; 0 picks a free one (logged as opsPort). */
  RECEIVER_OPS_PORT: port(3003),
  /** Loopback by default; in a container, the container network (not published). */
  RECEIVER_OPS_HOST: z.string().default("127.0.0.1"),
  ...queueEnvFields,
  STRIPE_WEBHOOK_SECRET: secretList("whsec_"),
  CLERK_WEBHOOK_SECRET: secretList("whsec_"),
  /** Upper bound for Redis to confirm a job; providers get 503 and retry past it. */
  ENQUEUE_TIMEOUT_MS: positiveInt(2_000).refine((ms) => ms <= 2_000, "must be at most 2000 ms"),
  /** Express `trust proxy`: false, true, a hop count or a list of addresses. */
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: logLevel,
  LOG_PRETTY: booleanFlag(false),
  ...retryPolicyEnvFields,
  ...jobSigningEnvFields,
}).superRefine(checkQueueEnv, { when: () => true });

export type ReceiverEnv = z.infer<typeof receiverEnvSchema>;

export function loadReceiverEnv(env: NodeJS.ProcessEnv = process.env): ReceiverEnv {
  return parseEnv(receiverEnvSchema, env);
}
