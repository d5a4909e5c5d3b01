import { Queue, type JobsOptions } from "bullmq";
import type { RedisConnection } from "./redis-connection";

/**
 * The queue of the system's own periodic work (the monthly usage reset, the ledger cleanup, the
 * sweep of deferred events, the Stripe reconciliation), kept
 * apart from the webhook queues so neither can delay the other. Its jobs come from BullMQ job
 * schedulers: every worker upserts them at start (idempotent: one scheduler per id, whoever
 * upserts), and Bull Board lists them.
 */
export const MAINTENANCE_QUEUE_NAME = "maintenance";

/** Job names; each scheduler's id equals the name of the job it produces. */
export const MAINTENANCE_JOBS = {
  usageMonthlyReset: "usage-monthly-reset",
  ledgerCleanup: "ledger-cleanup",
  deferredEventsSweep: "deferred-events-sweep",
  /** Only where STRIPE_API_KEY is set: Stripe's recent events compared with the ledger. */
  stripeReconcile: "stripe-reconcile",
} as const;
export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

/** Cron patterns, evaluated in UTC: the 1st of the month at 00:00, and every day at 03:30. */
export const DEFAULT_USAGE_RESET_PATTERN = "0 0 1 * *";
export const DEFAULT_LEDGER_CLEANUP_PATTERN = "30 3 * * *";
/** Every 15 minutes: the safety net of deferred events (they normally re-run the moment they can). */
export const DEFAULT_DEFERRED_SWEEP_PATTERN = "*/15 * * * *";
/** Every day at 04:15, after the ledger cleanup. */
export const DEFAULT_STRIPE_RECONCILE_PATTERN = "15 4 * * *";

/**
 * Every job is idempotent, so retrying is always safe: up to ~2 h of backoff covers a Postgres
 * outage. Completed and failed runs stay visible in Bull Board for a while.
 */
export const MAINTENANCE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 30_000, jitter: 0.5 },
  removeOnComplete: { age: 90 * 24 * 3600, count: 200 },
  removeOnFail: { age: 90 * 24 * 3600, count: 500 },
};

export interface MaintenanceSchedule {
  usageResetPattern: string;
  ledgerCleanupPattern: string;
  deferredSweepPattern: string;
  /** Undefined: no Stripe reconciliation, and a scheduler left from an earlier start is removed. */
  stripeReconcilePattern?: string;
}

export function createMaintenanceQueue(connection: RedisConnection, prefix: string): Queue {
  return new Queue(MAINTENANCE_QUEUE_NAME, { connection, prefix });
}

/**
 * Creates or updates every job scheduler (cron in UTC). Safe to call from every worker at every
 * start: upserting an unchanged scheduler leaves one scheduler with one next job.
 */
export async function upsertMaintenanceSchedulers(queue: Queue, schedule: MaintenanceSchedule): Promise<void> {
  const schedulers: [MaintenanceJobName, string][] = [
    [MAINTENANCE_JOBS.usageMonthlyReset, schedule.usageResetPattern],
    [MAINTENANCE_JOBS.ledgerCleanup, schedule.ledgerCleanupPattern],
    [MAINTENANCE_JOBS.deferredEventsSweep, schedule.deferredSweepPattern],
  ];
  for (const [name, pattern] of schedulers) {
    await queue.upsertJobScheduler(name, { pattern, tz: "UTC" }, { name, data: {}, opts: MAINTENANCE_JOB_OPTIONS });
  }
  const reconcile = MAINTENANCE_JOBS.stripeReconcile;
  if (schedule.stripeReconcilePattern === undefined) await queue.removeJobScheduler(reconcile);
  else await queue.upsertJobScheduler(reconcile, { pattern: schedule.stripeReconcilePattern, tz: "UTC" }, { name: reconcile, data: {}, opts: MAINTENANCE_JOB_OPTIONS });
}

/**
 * The time a scheduler job was scheduled for, which is what a run must go by (not the clock when
 * it happens to run). BullMQ names scheduler jobs `repeat:<scheduler id>:<scheduled ms>`; a job
 * added by hand (a catch-up at start, an operator's run) goes by when it was added.
 */
export function scheduledTimeOf(job: { id?: string; timestamp: number }): Date {
  const match = /^repeat:.+:(\d+)$/.exec(job.id ?? "");
  return new Date(match ? Number(match[1]) : job.timestamp);
}
