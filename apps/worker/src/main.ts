import { ConfigError, createLogger, errorMessage } from "@wh/core";
import { createPrismaClient } from "@wh/db";
import { boundPort, closeServer, listen, opsEndpoints, opsListener, shutdownOnSignals } from "@wh/http";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  exitUnlessNoEviction,
  retryPolicyFromEnv,
  webhookJobOptions,
} from "@wh/queue";
import { loadWorkerEnv } from "./env";
import { scheduleSettingsFromEnv, startSchedules } from "./schedules/start-schedules";
import { startWebhookWorkers } from "./start-webhook-workers";
import { createWorkerMetrics } from "./worker-metrics";
import { workerReadiness } from "./worker-readiness";

async function main(): Promise<void> {
  const env = loadWorkerEnv();
  const log = createLogger({ name: "worker", level: env.LOG_LEVEL });
  const metrics = createWorkerMetrics();
  const prisma = createPrismaClient({
    databaseUrl: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    metrics: { registry: metrics.registry, app: "worker" },
  });
  const redis = createWorkerConnection(env.REDIS_URL);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  exitUnlessNoEviction(redis, log);
  // Re-runs of deferred events are added like a producer's jobs: failing fast, never blocking a worker.
  const producerRedis = createProducerConnection(env.REDIS_URL);
  producerRedis.on("error", (error) => log.warn({ err: error.message }, "redis producer connection error"));
  const replay = {
    queues: createWebhookQueues(producerRedis, env.QUEUE_PREFIX),
    jobOptions: webhookJobOptions(retryPolicyFromEnv(env)),
    signingKeys: env.JOB_SIGNING_KEY,
  };
  const workers = startWebhookWorkers(
    {
      connection: redis,
      queuePrefix: env.QUEUE_PREFIX,
      concurrency: env.WORKER_CONCURRENCY,
      jobTimeoutMs: env.JOB_TIMEOUT_MS,
      lockDurationMs: env.LOCK_DURATION_MS,
      stalledIntervalMs: env.STALLED_INTERVAL_MS,
      maxStalledCount: env.MAX_STALLED_COUNT,
      stripeLivemode: env.STRIPE_LIVEMODE,
      databaseOutagePauseMs: env.DATABASE_OUTAGE_PAUSE_MS,
      signingKeys: env.JOB_SIGNING_KEY,
    },
    { prisma, log, metrics, replay },
  );
  const schedules = await startSchedules(scheduleSettingsFromEnv(env, redis), { prisma, log, metrics, replay });
  const ops = opsEndpoints({
    registry: metrics.registry,
    isReady: workerReadiness({ prisma, redis, workers }),
  });
  const health = await listen(opsListener(ops), env.WORKER_PORT, env.WORKER_HOST);
  log.info({ port: boundPort(health), concurrency: env.WORKER_CONCURRENCY, queues: workers.map((w) => w.name) }, "worker started");

  shutdownOnSignals({
    log,
    // In-flight jobs get SHUTDOWN_DEADLINE_MS; closing the connections after them gets a little more.
    deadlineMs: env.SHUTDOWN_DEADLINE_MS + 10_000,
    stop: async () => {
      await closeServer(health);
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const deadline = new Promise<"deadline">((resolve) => setTimeout(() => resolve("deadline"), env.SHUTDOWN_DEADLINE_MS).unref());
      if ((await Promise.race([graceful, deadline])) === "deadline") {
        log.warn("in-flight jobs did not finish in time; their locks expire and another worker re-runs them");
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await schedules.close(5_000);
      await closeWebhookQueues(replay.queues);
      await prisma.$disconnect();
      redis.disconnect();
      producerRedis.disconnect();
    },
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `failed to start: ${errorMessage(error)}`;
  process.stderr.write(`worker: ${message}\n`);
  process.exit(1);
});
