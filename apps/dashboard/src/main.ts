import { PlanValidator } from "@wh/billing";
import { ConfigError, createLogger, errorMessage, trustProxySetting } from "@wh/core";
import { boundPort, closeServer, listen, shutdownOnSignals } from "@wh/http";
import { createPrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createMaintenanceQueue,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyFromEnv,
  webhookJobOptions,
} from "@wh/queue";
import { createDashboardApp } from "./app";
import { createDashboardMetrics } from "./dashboard-metrics";
import { loadDashboardEnv } from "./env";
import { startMetricsSampler } from "./metrics-sampler";

const SHUTDOWN_DEADLINE_MS = 10_000;
const HOUR_MS = 3_600_000;

async function main(): Promise<void> {
  const env = loadDashboardEnv();
  const log = createLogger({ name: "dashboard", level: env.LOG_LEVEL });
  const metrics = createDashboardMetrics();
  const prisma = createPrismaClient({
    databaseUrl: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    metrics: { registry: metrics.registry, app: "dashboard" },
    connectionBudget: { log },
  });
  const redis = createProducerConnection(env.REDIS_URL);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  const webhookQueues = createWebhookQueues(redis, env.QUEUE_PREFIX, env.WEBHOOK_QUEUE_SHARDS);
  const maintenanceQueue = createMaintenanceQueue(redis, env.QUEUE_PREFIX);
  for (const queue of [...allWebhookQueues(webhookQueues), maintenanceQueue]) {
    queue.on("error", (error) => log.warn({ queue: queue.name, err: error.message }, "queue error"));
  }

  const sampler = startMetricsSampler(
    { queues: [...allWebhookQueues(webhookQueues), maintenanceQueue], redis, prisma, metrics, log },
    env.QUEUE_METRICS_INTERVAL_MS,
  );

  const app = createDashboardApp({
    validator: new PlanValidator({
      prisma,
      timeoutMs: env.USAGE_DECISION_TIMEOUT_MS,
      idempotencyKeyTtlMs: env.IDEMPOTENCY_KEY_TTL_HOURS * HOUR_MS,
    }),
    prisma,
    replay: { queues: webhookQueues, jobOptions: webhookJobOptions(retryPolicyFromEnv(env)), signingKeys: env.JOB_SIGNING_KEY },
    serviceTokens: env.INTERNAL_API_TOKEN,
    operatorTokens: { viewer: env.DASHBOARD_VIEWER_TOKEN, admin: env.DASHBOARD_ADMIN_TOKEN },
    publicOrigin: env.DASHBOARD_PUBLIC_ORIGIN,
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    boardQueues: { webhooks: allWebhookQueues(webhookQueues), maintenance: maintenanceQueue },
    metrics,
    log,
    isReady: async () => {
      await prisma.$queryRaw`SELECT 1`;
      return redis.status === "ready" && (await redis.ping()) === "PONG";
    },
  });
  const server = await listen(app, env.DASHBOARD_PORT, env.DASHBOARD_HOST);
  log.info(
    { port: boundPort(server), viewerRole: env.DASHBOARD_VIEWER_TOKEN.length > 0, adminRole: env.DASHBOARD_ADMIN_TOKEN.length > 0 },
    "dashboard listening",
  );

  shutdownOnSignals({
    log,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    stop: async () => {
      await closeServer(server);
      await sampler.stop();
      await closeWebhookQueues(webhookQueues);
      await maintenanceQueue.close();
      await prisma.$disconnect();
      redis.disconnect();
    },
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `failed to start: ${errorMessage(error)}`;
  process.stderr.write(`dashboard: ${message}\n`);
  process.exit(1);
});
