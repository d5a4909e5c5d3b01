import type { RedisConnection } from "@wh/queue";
import type { PrismaClient } from "@wh/db";
import type { Worker } from "bullmq";

/**
 * `/readyz` of the worker: every BullMQ worker runs its loop (not closed, not paused — a worker
 * paused through a database outage is not ready either), and Postgres and Redis answer. A process
 * whose workers stopped would otherwise look ready while it takes no jobs.
 */
export function workerReadiness(deps: { prisma: PrismaClient; redis: RedisConnection; workers: readonly Worker[] }): () => Promise<boolean> {
  return async () => {
    if (!deps.workers.every((worker) => worker.isRunning() && !worker.isPaused())) return false;
    await deps.prisma.$queryRaw`SELECT 1`;
    return (await deps.redis.ping()) === "PONG";
  };
}
