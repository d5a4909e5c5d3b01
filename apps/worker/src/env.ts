import {
  databaseUrl,
  logLevel,
  optionalBooleanFlag,
  parseEnv,
  port,
  positiveInt,
} from "@wh/core";
import { checkQueueEnv, jobSigningEnvFields, queueEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";
import { scheduleEnvFields } from "./schedules/schedule-env";

const workerEnvSchema = z
  .object({
    ...queueEnvFields,
    DATABASE_URL: databaseUrl,
    /** Postgres connections this process may hold. */
    DATABASE_POOL_MAX: positiveInt(10),
    /**
     * Worker processes under one supervisor (node:cluster); 1 runs a single process without one.
     * Each process holds its own pool of DATABASE_POOL_MAX connections.
     */
    WORKER_PROCESSES: positiveInt(1),
    /** Jobs processed at once per queue (per provider and shard). All queues together must fit in the pool. */
    WORKER_CONCURRENCY: positiveInt(4),
    /** One attempt may take this long; enforced in Postgres (statement_timeout, tx timeout). */
    JOB_TIMEOUT_MS: positiveInt(10_000),
    /** BullMQ job lock; renewed every half of it. An attempt must end well within it. */
    LOCK_DURATION_MS: positiveInt(30_000),
    /** How often BullMQ looks for jobs whose worker died (lock expired). */
    STALLED_INTERVAL_MS: positiveInt(30_000),
    /** A job that stalls more often than this is failed instead of restarted. */
    MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(2),
    /** While Postgres is unreachable, each queue pauses this long between tries (no attempt used). */
    DATABASE_OUTAGE_PAUSE_MS: positiveInt(2_000),
    /**
     * Stripe events from the other mode (test vs live) are recorded `ignored` and not applied.
     * Required when NODE_ENV=production: a live deployment that forgot it would ignore every
     * live event; elsewhere it defaults to false (test mode).
     */
    STRIPE_LIVEMODE: optionalBooleanFlag,
    /** The Docker images set `production`. */
    NODE_ENV: z.string().optional(),
    /** Port of /healthz and /metrics; 0 picks a free one. */
    WORKER_PORT: port(3001),
    WORKER_HOST: z.string().default("127.0.0.1"),
    /** In-flight jobs get this long to finish on SIGTERM before the worker closes anyway. */
    SHUTDOWN_DEADLINE_MS: positiveInt(25_000),
    LOG_LEVEL: logLevel,
    ...jobSigningEnvFields,
    ...scheduleEnvFields,
    /** Options of the jobs that re-run deferred events, the same as the receiver's. */
    ...retryPolicyEnvFields,
  })
  .superRefine((env, ctx) => {
    const queues = 2 * env.WEBHOOK_QUEUE_SHARDS;
    if (env.WORKER_CONCURRENCY * queues + 1 > env.DATABASE_POOL_MAX) {
      ctx.addIssue({
        code: "custom",
        path: ["WORKER_CONCURRENCY"],
        message:
          `${queues} queues × ${env.WORKER_CONCURRENCY} jobs (+1 for bookkeeping) need more connections than ` +
          `DATABASE_POOL_MAX=${env.DATABASE_POOL_MAX}; lower the concurrency or raise the pool`,
      });
    }
    if (env.JOB_TIMEOUT_MS * 2 > env.LOCK_DURATION_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["JOB_TIMEOUT_MS"],
        message: `must be at most half of LOCK_DURATION_MS=${env.LOCK_DURATION_MS}, or a slow job loses its lock and runs twice`,
      });
    }
    if (env.NODE_ENV === "production" && env.STRIPE_LIVEMODE === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_LIVEMODE"],
        message: "is required when NODE_ENV=production: true with live-mode Stripe keys, false with test-mode keys",
      });
    }
  })
  .superRefine(checkQueueEnv, { when: () => true })
  .transform((env) => ({ ...env, STRIPE_LIVEMODE: env.STRIPE_LIVEMODE ?? false }));

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function loadWorkerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, env);
}
