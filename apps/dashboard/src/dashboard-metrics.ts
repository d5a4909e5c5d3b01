import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export interface DashboardMetrics {
  registry: Registry;
  /** Every answer of the internal API by route and outcome (granted, limit_reached, unavailable, …). */
  decisions: Counter<"route" | "outcome">;
  /** Sampled (metrics-sampler.ts): jobs per queue and state, one series per queue however many workers run. */
  queueJobs: Gauge<"queue" | "state">;
  queueOldestWaitingSeconds: Gauge<"queue">;
  redisMemoryUsedBytes: Gauge;
  redisMemoryMaxBytes: Gauge;
  deferredOldestSeconds: Gauge;
}

export function createDashboardMetrics(): DashboardMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    decisions: new Counter({
      name: "internal_api_decisions_total",
      help: "Answers of the internal API by route and outcome; alert on a rise of outcome=unavailable.",
      labelNames: ["route", "outcome"],
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: "webhook_queue_jobs",
      help: "Jobs per queue and state (waiting, which includes a paused queue's, active, delayed, prioritized, failed, completed).",
      labelNames: ["queue", "state"],
      registers: [registry],
    }),
    queueOldestWaitingSeconds: new Gauge({
      name: "webhook_queue_oldest_waiting_seconds",
      help: "Age of the oldest waiting job per queue, since it was added or its last attempt started; 0 when none waits.",
      labelNames: ["queue"],
      registers: [registry],
    }),
    redisMemoryUsedBytes: new Gauge({
      name: "redis_memory_used_bytes",
      help: "Redis used_memory (INFO memory); on a Redis Cluster, of the master closest to its maxmemory.",
      registers: [registry],
    }),
    redisMemoryMaxBytes: new Gauge({
      name: "redis_memory_max_bytes",
      help: "Redis maxmemory (INFO memory) of the same server; 0 means no limit.",
      registers: [registry],
    }),
    deferredOldestSeconds: new Gauge({
      name: "webhook_events_deferred_oldest_seconds",
      help: "Age, since its receipt, of the oldest deferred ledger event; 0 when none waits.",
      registers: [registry],
    }),
  };
}
