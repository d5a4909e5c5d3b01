import { randomUUID } from "node:crypto";
import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { createStripeEventsClient } from "@wh/ops";
import {
  createMaintenanceQueue,
  MAINTENANCE_JOB_OPTIONS,
  MAINTENANCE_JOBS,
  MAINTENANCE_QUEUE_NAME,
  upsertMaintenanceSchedulers,
  type ReplayWebhookJobOptions,
  type RedisConnection,
} from "@wh/queue";
import { Worker, type Queue } from "bullmq";
import type { WorkerEnv } from "../env";
import { handledEventTypes } from "../handlers/handler-registry";
import { createMaintenanceProcessor } from "./process-maintenance-job";
import { isFinalFailure } from "../is-final-failure";
import { onJobStalled } from "../on-job-stalled";
import type { WorkerMetrics } from "../worker-metrics";

export interface ScheduleSettings {
  /** maxRetriesPerRequest null, like the webhook workers' (BullMQ duplicates it for blocking reads). */
  connection: RedisConnection;
  queuePrefix: string;
  usageResetPattern: string;
  usageResetTimeoutMs: number;
  ledgerCleanupPattern: string;
  retentionDays: number;
  cleanupBatchSize: number;
  deferredSweepPattern: string;
  deferredHorizonHours: number;
  /** Set when STRIPE_API_KEY is: the daily comparison of Stripe's events with the ledger. */
  stripeReconcile?: { apiKey: string; apiUrl: string; pattern: string; windowHours: number };
  lockDurationMs: number;
  /** How often the worker looks for maintenance jobs whose worker died. */
  stalledIntervalMs: number;
}

export interface Schedules {
  queue: Queue;
  worker: Worker;
  /**
   * Stops taking jobs and lets a running one finish for up to `graceMs` (0: do not wait). A run cut
   * short rolls back; its lock expires and it runs again (every step is idempotent).
   */
  close(graceMs?: number): Promise<void>;
}

export function scheduleSettingsFromEnv(env: WorkerEnv, connection: RedisConnection): ScheduleSettings {
  return {
    connection,
    queuePrefix: env.QUEUE_PREFIX,
    usageResetPattern: env.USAGE_RESET_PATTERN,
    usageResetTimeoutMs: env.USAGE_RESET_TIMEOUT_MS,
    ledgerCleanupPattern: env.LEDGER_CLEANUP_PATTERN,
    retentionDays: env.WEBHOOK_EVENT_RETENTION_DAYS,
    cleanupBatchSize: env.LEDGER_CLEANUP_BATCH_SIZE,
    deferredSweepPattern: env.DEFERRED_EVENT_SWEEP_PATTERN,
    deferredHorizonHours: env.DEFERRED_EVENT_HORIZON_HOURS,
    stripeReconcile: env.STRIPE_API_KEY
      ? { apiKey: env.STRIPE_API_KEY, apiUrl: env.STRIPE_API_URL, pattern: env.STRIPE_RECONCILE_PATTERN, windowHours: env.STRIPE_RECONCILE_WINDOW_HOURS }
      : undefined,
    lockDurationMs: env.LOCK_DURATION_MS,
    stalledIntervalMs: env.STALLED_INTERVAL_MS,
  };
}

/**
 * Registers the job schedulers (idempotent: every worker does it at every start), starts the
 * worker of the maintenance queue, and queues a catch-up run of the usage reset: after downtime,
 * BullMQ runs at most one late occurrence (and re-registering a scheduler replaces a missed one),
 * so a starting worker checks itself that every ended period is closed. The catch-up is a job so
 * that it is retried while Postgres is down and shows in Bull Board like the scheduled runs.
 */
export async function startSchedules(
  settings: ScheduleSettings,
  deps: { prisma: PrismaClient; log: Logger; metrics: WorkerMetrics; replay: ReplayWebhookJobOptions; clock?: () => Date },
): Promise<Schedules> {
  const log = deps.log.child({ queue: MAINTENANCE_QUEUE_NAME });
  const queue = createMaintenanceQueue(settings.connection, settings.queuePrefix);
  queue.on("error", (error) => log.warn({ err: error.message }, "maintenance queue error"));
  await upsertMaintenanceSchedulers(queue, {
    usageResetPattern: settings.usageResetPattern,
    ledgerCleanupPattern: settings.ledgerCleanupPattern,
    deferredSweepPattern: settings.deferredSweepPattern,
    stripeReconcilePattern: settings.stripeReconcile?.pattern,
  });

  const reconcile = settings.stripeReconcile;
  const processor = createMaintenanceProcessor({
    prisma: deps.prisma,
    log,
    clock: deps.clock ?? (() => new Date()),
    usageResetTimeoutMs: settings.usageResetTimeoutMs,
    cleanup: { retentionDays: settings.retentionDays, batchSize: settings.cleanupBatchSize },
    metrics: deps.metrics,
    replay: deps.replay,
    deferredHorizonHours: settings.deferredHorizonHours,
    stripeReconcile: reconcile && {
      stripe: createStripeEventsClient({ apiKey: reconcile.apiKey, apiUrl: reconcile.apiUrl }),
      windowHours: reconcile.windowHours,
      types: handledEventTypes("stripe"),
    },
  });
  const worker = new Worker(MAINTENANCE_QUEUE_NAME, processor, {
    connection: settings.connection,
    prefix: settings.queuePrefix,
    concurrency: 1,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
  });
  worker.on("error", (error) => log.error({ err: error.message }, "maintenance worker error"));
  worker.on("stalled", onJobStalled({ log, metrics: deps.metrics }, MAINTENANCE_QUEUE_NAME));
  await worker.waitUntilReady();
  worker.on("failed", (job, error) => {
    const final = job !== undefined && isFinalFailure(job, error);
    const context = { jobId: job?.id, name: job?.name, attempt: job?.attemptsMade, err: error.message };
    if (final) log.error({ ...context, alert: "maintenance_job_failed" }, "maintenance job failed for good");
    else log.warn(context, "maintenance job failed, will retry");
  });

  // Job ids may not contain ':' nor be integers.
  await queue.add(MAINTENANCE_JOBS.usageMonthlyReset, { trigger: "startup" }, {
    ...MAINTENANCE_JOB_OPTIONS,
    jobId: `usage-catch-up-${Date.now()}-${randomUUID().slice(0, 8)}`,
  });
  log.info(
    {
      usageResetPattern: settings.usageResetPattern,
      ledgerCleanupPattern: settings.ledgerCleanupPattern,
      deferredSweepPattern: settings.deferredSweepPattern,
      stripeReconcilePattern: reconcile?.pattern ?? "off",
    },
    "job schedulers registered",
  );

  return {
    queue,
    worker,
    async close(graceMs = 0) {
      const closing = worker.close(graceMs <= 0);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, graceMs));
      });
      await Promise.race([closing, grace]);
      clearTimeout(timer);
      await queue.close();
    },
  };
}
