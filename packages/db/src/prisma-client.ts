import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { checkConnectionBudgetWhenConnected, type ConnectionBudgetOptions } from "./connection-budget";
import { createDatabasePool, type DatabasePoolOptions } from "./database-pool";
import { PrismaClient } from "./generated/prisma/client";
import { observePool, type PoolMetricsOptions } from "./pool-metrics";

export { PrismaClient };

const pools = new WeakMap<PrismaClient, pg.Pool>();

export interface PrismaClientOptions extends DatabasePoolOptions {
  /** Export the pool's gauges and acquire times to this registry (one client per registry). */
  metrics?: PoolMetricsOptions;
  /** Check once connected that the pool fits the server's max_connections (logs, never fails). */
  connectionBudget?: ConnectionBudgetOptions;
}

/**
 * Builds the one Prisma client of a process: driver adapter over our bounded `pg` pool (so the
 * pool can be observed), no native engine. `$disconnect()` ends the pool. Call it once at start
 * and pass the client down; never per request.
 */
export function createPrismaClient(options: PrismaClientOptions): PrismaClient {
  const pool = createDatabasePool(options);
  if (options.metrics) observePool(pool, options.metrics);
  if (options.connectionBudget) checkConnectionBudgetWhenConnected(pool, options.poolMax, options.connectionBudget);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * The `pg` pool under a client of createPrismaClient: a hot path that runs plain `pg` statements
 * shares the process's one bounded pool (and its metrics) with Prisma.
 */
export function databasePoolOf(prisma: PrismaClient): pg.Pool {
  const pool = pools.get(prisma);
  if (!pool) throw new Error("this Prisma client was not made by createPrismaClient");
  return pool;
}
