import { ConfigError, createLogger, trustProxySetting } from "@wh/core";
import { boundPort, closeServer, listen, shutdownOnSignals } from "@wh/http";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  exitUnlessNoEviction,
  retryPolicyFromEnv,
  webhookJobOptions,
  WebhookProducer,
} from "@wh/queue";
import { createReceiverApp } from "./app";
import { loadReceiverEnv } from "./env";
import { createReceiverMetrics } from "./receiver-metrics";
import { receiverOpsListener } from "./receiver-ops";

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const env = loadReceiverEnv();
  const log = createLogger({ name: "receiver", level: env.LOG_LEVEL });
  const redis = createProducerConnection(env.REDIS_URL);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  exitUnlessNoEviction(redis, log);
  const queues = createWebhookQueues(redis, env.QUEUE_PREFIX, env.WEBHOOK_QUEUE_SHARDS);
  const producer = new WebhookProducer({
    queues,
    jobOptions: webhookJobOptions(retryPolicyFromEnv(env)),
    timeoutMs: env.ENQUEUE_TIMEOUT_MS,
    signingKeys: env.JOB_SIGNING_KEY,
  });
  const metrics = createReceiverMetrics();
  const app = createReceiverApp({
    producer,
    metrics,
    log,
    stripeSecrets: env.STRIPE_WEBHOOK_SECRET,
    clerkSecrets: env.CLERK_WEBHOOK_SECRET,
    trustProxy: trustProxySetting(env.TRUST_PROXY),
  });
  const server = await listen(app, env.RECEIVER_PORT, env.RECEIVER_HOST);
  const ops = await listen(receiverOpsListener({ redis, metrics }), env.RECEIVER_OPS_PORT, env.RECEIVER_OPS_HOST);
  log.info({ port: boundPort(server), opsPort: boundPort(ops) }, "receiver listening");

  shutdownOnSignals({
    log,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    stop: async () => {
      await Promise.all([closeServer(server), closeServer(ops)]);
      await closeWebhookQueues(queues);
      redis.disconnect();
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`receiver: ${error.message}\n`);
  } else {
    process.stderr.write(`receiver: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
