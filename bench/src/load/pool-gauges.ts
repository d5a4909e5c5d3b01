import { readFileSync } from "node:fs";
import { sumOf, type MetricSample } from "./prometheus-text";

/** One app's Postgres pool at the end of a run (`db_pool_connections`, `db_pool_acquire_seconds`). */
export interface PoolGauges {
  app: string;
  inUse: number;
  idle: number;
  waiting: number;
  acquires: number;
  acquireSecondsTotal: number;
  /** Checkouts that took longer than the histogram's last bound (5 s): the pool's connection timeout. */
  acquiresOver5s: number;
  /** Lines of the app's log with a pool timeout error. */
  poolTimeoutLogLines: number;
}

/**
 * Errors of a checkout that found no free pool connection in time: pg's connectionTimeoutMillis,
 * and Prisma's interactive transaction that could not start within its maxWait.
 */
const POOL_TIMEOUT_TEXTS = ["timeout exceeded when trying to connect", "Unable to start a transaction in the given time"];

/** The pool gauges of one app from a scrape of its /metrics, and its log's pool-timeout lines. */
export function poolGaugesOf(app: string, samples: readonly MetricSample[], logFile: string): PoolGauges {
  const connections = (state: string) => sumOf(samples, "db_pool_connections", { state });
  const acquires = sumOf(samples, "db_pool_acquire_seconds_count");
  return {
    app,
    inUse: connections("in_use"),
    idle: connections("idle"),
    waiting: connections("waiting"),
    acquires,
    acquireSecondsTotal: sumOf(samples, "db_pool_acquire_seconds_sum"),
    acquiresOver5s: acquires - sumOf(samples, "db_pool_acquire_seconds_bucket", { le: "5" }),
    poolTimeoutLogLines: readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => POOL_TIMEOUT_TEXTS.some((text) => line.includes(text))).length,
  };
}

/** Pool timeouts of a run: a connection-stress run passes with none. */
export function poolProblems(gauges: readonly PoolGauges[]): string[] {
  return gauges
    .filter((pool) => pool.acquiresOver5s > 0 || pool.poolTimeoutLogLines > 0)
    .map((pool) => `${pool.app}: ${pool.acquiresOver5s} pool checkouts over 5 s, ${pool.poolTimeoutLogLines} pool timeout errors logged`);
}
