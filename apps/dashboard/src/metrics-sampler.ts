import { errorMessage, type Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { readRedisMemoryInfo, redisMasters, type RedisConnection } from "@wh/queue";
import type { Queue } from "bullmq";
import type { DashboardMetrics } from "./dashboard-metrics";

export interface MetricsSamplerDependencies {
  /** Every queue of the board: the webhook queues and the maintenance queue. */
  queues: readonly Queue[];
  redis: RedisConnection;
  prisma: PrismaClient;
  metrics: DashboardMetrics;
  log: Logger;
}

export interface MetricsSampler {
  /** Takes one sample now (the timer takes the others). */
  sample(): Promise<void>;
  /** Stops the timer and waits for a sample under way. */
  stop(): Promise<void>;
}

/** The states of `webhook_queue_jobs`; `waiting` also counts the jobs of a paused queue. */
const STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;

/**
 * Samples what no single worker can report alone, every `intervalMs`: jobs per queue and state,
 * the oldest waiting job, Redis memory, and the oldest deferred event. Each part is read whole,
 * then set, so a part that fails (Redis or Postgres unreachable) is logged and keeps its last
 * values. A sample starts only after the previous one ended: a slow server never piles them up.
 */
export function startMetricsSampler(deps: MetricsSamplerDependencies, intervalMs: number): MetricsSampler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const sample = () => {
    running = sampleAll(deps);
    return running;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      void sample().finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    sample,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function sampleAll(deps: MetricsSamplerDependencies): Promise<void> {
  const parts: Record<string, () => Promise<void>> = {
    queues: () => sampleQueues(deps),
    redis_memory: () => sampleRedisMemory(deps),
    deferred_events: () => sampleDeferredEvents(deps),
  };
  await Promise.all(
    Object.entries(parts).map(async ([part, run]) => {
      try {
        await run();
      } catch (error) {
        deps.log.warn({ part, err: errorMessage(error) }, "metrics sample failed; keeping the last values");
      }
    }),
  );
}

async function sampleQueues({ queues, metrics }: MetricsSamplerDependencies): Promise<void> {
  const now = Date.now();
  const samples = await Promise.all(
    queues.map(async (queue) => {
      const [counts, oldest] = await Promise.all([
        queue.getJobCounts(...STATES),
        // The oldest job of the wait list (and of the paused list, when the queue is paused).
        queue.getJobs(["waiting"], 0, 0, true),
      ]);
      const waitingSince = oldest.map((job) => Math.max(job.timestamp, job.processedOn ?? 0));
      const oldestSeconds = waitingSince.length === 0 ? 0 : Math.max(0, now - Math.min(...waitingSince)) / 1000;
      return { queue: queue.name, counts, oldestSeconds };
    }),
  );
  for (const { queue, counts, oldestSeconds } of samples) {
    for (const state of STATES) {
      const paused = state === "waiting" ? (counts.paused ?? 0) : 0;
      metrics.queueJobs.set({ queue, state }, (counts[state] ?? 0) + paused);
    }
    metrics.queueOldestWaitingSeconds.set({ queue }, oldestSeconds);
  }
}

/** On a Redis Cluster, the master closest to full (a full master refuses its queues' writes whatever the others hold). */
async function sampleRedisMemory({ redis, metrics }: MetricsSamplerDependencies): Promise<void> {
  const masters = await Promise.all(redisMasters(redis).map((server) => readRedisMemoryInfo(server)));
  const readings = masters.map(({ usedBytes, maxBytes }) => {
    if (usedBytes === undefined || maxBytes === undefined) throw new Error("INFO memory reports no used_memory or maxmemory");
    return { usedBytes, maxBytes, fill: maxBytes > 0 ? usedBytes / maxBytes : 0 };
  });
  const [fullest] = readings.sort((a, b) => b.fill - a.fill || b.usedBytes - a.usedBytes);
  if (fullest === undefined) throw new Error("no redis master to read INFO memory from");
  metrics.redisMemoryUsedBytes.set(fullest.usedBytes);
  metrics.redisMemoryMaxBytes.set(fullest.maxBytes);
}

/** One index range scan (`webhook_events (status, received_at)`), timed by Postgres's clock. */
async function sampleDeferredEvents({ prisma, metrics }: MetricsSamplerDependencies): Promise<void> {
  const [row] = await prisma.$queryRaw<{ seconds: number | null }[]>`
    SELECT EXTRACT(EPOCH FROM now() - min(received_at))::float8 AS seconds
    FROM webhook_events WHERE status = 'deferred'`;
  metrics.deferredOldestSeconds.set(Math.max(0, row?.seconds ?? 0));
}
