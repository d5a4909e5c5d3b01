import { ConfigError, createLogger } from "@wh/core";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyFromEnv,
  webhookJobOptions,
  WebhookProducer,
} from "@wh/queue";
import { createReceiverApp } from "./app";
import { loadReceiverEnv, trustProxySetting } from "./env";
import { createReceiverMetrics } from "./receiver-metrics";
import { listen } from "./server";

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const env = loadReceiverEnv();
  const log = createLogger({ name: "receiver", level: env.LOG_LEVEL });
  const redis = createProducerConnection(env.REDIS_URL);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  const queues = createWebhookQueues(redis, env.QUEUE_PREFIX);
  const producer = new WebhookProducer({
    queues,
    jobOptions: webhookJobOptions(retryPolicyFromEnv(env)),
    timeoutMs: env.ENQUEUE_TIMEOUT_MS,
  });
  const app = createReceiverApp({
    producer,
    metrics: createReceiverMetrics(),
    log,
    stripeSecrets: env.STRIPE_WEBHOOK_SECRET,
    clerkSecrets: env.CLERK_WEBHOOK_SECRET,
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    isReady: async () => redis.status === "ready" && (await redis.ping()) === "PONG",
  });
  const server = await listen(app, env.RECEIVER_PORT, env.RECEIVER_HOST);
  const address = server.address();
  log.info({ port: typeof address === "object" && address ? address.port : env.RECEIVER_PORT }, "receiver listening");

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "receiver shutting down");
    const deadline = setTimeout(() => {
      log.error("shutdown deadline passed, exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close(async () => {
      await closeWebhookQueues(queues);
      redis.disconnect();
      log.info("receiver stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`receiver: ${error.message}\n`);
  } else {
    process.stderr.write(`receiver: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
