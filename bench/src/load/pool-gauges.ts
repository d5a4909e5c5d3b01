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
  /** Lines of the app's log with pg's pool timeout error. */
  poolTimeoutLogLines: number;
}

/** pg's error when no pool connection came free within connectionTimeoutMillis. */
const POOL_TIMEOUT_TEXT = "timeout exceeded when trying to connect";

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
    poolTimeoutLogLines: readFileSync(logFile, "utf8").split(POOL_TIMEOUT_TEXT).length - 1,
  };
}

/** Pool timeouts of a run: a connection-stress run passes with none. */
export function poolProblems(gauges: readonly PoolGauges[]): string[] {
  return gauges
    .filter((pool) => pool.acquiresOver5s > 0 || pool.poolTimeoutLogLines > 0)
    .map((pool) => `${pool.app}: ${pool.acquiresOver5s} pool checkouts over 5 s, ${pool.poolTimeoutLogLines} pool timeout errors logged`);
}
