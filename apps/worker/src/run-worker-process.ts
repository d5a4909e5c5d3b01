import cluster from "node:cluster";
import type { Logger } from "@wh/core";
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
import type { WorkerEnv } from "./env";
import { scheduleSettingsFromEnv, startSchedules } from "./schedules/start-schedules";
import { startWebhookWorkers } from "./start-webhook-workers";
import { answerSupervisor } from "./supervisor/supervisor-channel";
import { createWorkerMetrics } from "./worker-metrics";
import { workerReadiness } from "./worker-readiness";

/** What a worker process's in-flight jobs and closing connections get after SIGTERM before it exits anyway. */
export function workerShutdownDeadlineMs(env: WorkerEnv): number {
  // In-flight jobs get SHUTDOWN_DEADLINE_MS; closing the connections after them gets a little more.
  return env.SHUTDOWN_DEADLINE_MS + 10_000;
}

/**
 * One worker process: the BullMQ workers of both provider queues and the schedules. On its own
 * it serves the ops port; under the supervisor (WORKER_PROCESSES > 1) the supervisor serves it
 * and this process answers the supervisor's questions instead.
 */
export async function runWorkerProcess(env: WorkerEnv, log: Logger): Promise<void> {
  const metrics = createWorkerMetrics();
  const prisma = createPrismaClient({
    databaseUrl: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    // The hot path's budget on every connection; the usage reset and the cleanup SET LOCAL more.
    statementTimeoutMs: env.JOB_TIMEOUT_MS,
    metrics: { registry: metrics.registry, app: "worker" },
    connectionBudget: { log, processes: env.WORKER_PROCESSES },
  });
  const redis = createWorkerConnection(env.REDIS_URL);
  redis.on("error", (error) => log.warn({ err: error.message }, "redis connection error"));
  exitUnlessNoEviction(redis, log);
  // Re-runs of deferred events are added like a producer's jobs: failing fast, never blocking a worker.
  const producerRedis = createProducerConnection(env.REDIS_URL);
  producerRedis.on("error", (error) => log.warn({ err: error.message }, "redis producer connection error"));
  const replay = {
    queues: createWebhookQueues(producerRedis, env.QUEUE_PREFIX, env.WEBHOOK_QUEUE_SHARDS),
    jobOptions: webhookJobOptions(retryPolicyFromEnv(env)),
    signingKeys: env.JOB_SIGNING_KEY,
  };
  const workers = startWebhookWorkers(
    {
      connection: redis,
      queuePrefix: env.QUEUE_PREFIX,
      queueShards: env.WEBHOOK_QUEUE_SHARDS,
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
  const isReady = workerReadiness({ prisma, redis, workers });
  const supervised = cluster.isWorker;
  if (supervised) answerSupervisor({ registry: metrics.registry, isReady });
  const health = supervised ? undefined : await listen(opsListener(opsEndpoints({ registry: metrics.registry, isReady })), env.WORKER_PORT, env.WORKER_HOST);
  log.info(
    { port: health && boundPort(health), pid: process.pid, concurrency: env.WORKER_CONCURRENCY, queues: workers.map((w) => w.name) },
    "worker started",
  );

  shutdownOnSignals({
    log,
    deadlineMs: workerShutdownDeadlineMs(env),
    stop: async () => {
      if (health) await closeServer(health);
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
