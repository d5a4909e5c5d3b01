import type pg from "pg";
import { Gauge, Histogram, type Registry } from "prom-client";

export interface PoolMetricsOptions {
  registry: Registry;
  /** The `app` label: receiver, worker, dashboard… */
  app: string;
}

/**
 * Exports the pool's state (`db_pool_connections{app,state}`: in_use, idle, waiting) read at
 * scrape time, and how long each checkout waited for a connection (`db_pool_acquire_seconds`),
 * by wrapping `connect` — which `pool.query` and Prisma's adapter both go through.
 */
export function observePool(pool: pg.Pool, options: PoolMetricsOptions): void {
  const app = options.app;
  new Gauge({
    name: "db_pool_connections",
    help: "Postgres pool connections by state: in_use, idle, and waiting (requests queued for a connection).",
    labelNames: ["app", "state"],
    registers: [options.registry],
    collect() {
      this.set({ app, state: "in_use" }, pool.totalCount - pool.idleCount);
      this.set({ app, state: "idle" }, pool.idleCount);
      this.set({ app, state: "waiting" }, pool.waitingCount);
    },
  });
  const acquireSeconds = new Histogram({
    name: "db_pool_acquire_seconds",
    help: "Time to check a connection out of the Postgres pool (failed checkouts included).",
    labelNames: ["app"],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [options.registry],
  });

  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
  pool.connect = ((callback?: ConnectCallback) => {
    const observe = acquireSeconds.startTimer({ app });
    if (callback) {
      return connect((error, client, done) => {
        observe();
        callback(error, client, done);
      });
    }
    return connect()!.finally(() => observe());
  }) as pg.Pool["connect"];
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;
