import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface WorkerMetrics {
  registry: Registry;
  processed: Counter<"provider" | "status">;
  /** Events recorded `ignored`, by a fixed reason; `other_stripe_mode` means STRIPE_LIVEMODE is likely wrong. */
  ignored: Counter<"provider" | "reason">;
  failedAttempts: Counter<"provider">;
  /** Alert on any increase: an event exhausted its attempts and needs a replay. */
  dead: Counter<"provider" | "type">;
  processingSeconds: Histogram<"provider">;
  /** Alert on any increase: someone wrote jobs to Redis, or a JOB_SIGNING_KEY differs from the receiver's. */
  unauthenticated: Counter<"queue" | "reason">;
  /** From the receiver's acceptance to the commit that settled the event; the apply SLO reads path="live". */
  endToEndSeconds: Histogram<"provider" | "path">;
  /** Jobs this process found stalled (their worker died or hung) and moved back to wait. */
  stalled: Counter<"queue">;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    processed: new Counter({
      name: "webhook_events_processed_total",
      help: "Webhook events settled, by ledger status.",
      labelNames: ["provider", "status"],
      registers: [registry],
    }),
    ignored: new Counter({
      name: "webhook_events_ignored_total",
      help: "Webhook events recorded ignored, by reason (other_stripe_mode, unhandled_type, not_applicable).",
      labelNames: ["provider", "reason"],
      registers: [registry],
    }),
    failedAttempts: new Counter({
      name: "webhook_event_failed_attempts_total",
      help: "Failed processing attempts (retried or dead).",
      labelNames: ["provider"],
      registers: [registry],
    }),
    dead: new Counter({
      name: "webhook_events_dead_total",
      help: "Webhook events that exhausted their attempts or were poison.",
      labelNames: ["provider", "type"],
      registers: [registry],
    }),
    processingSeconds: new Histogram({
      name: "webhook_event_processing_seconds",
      help: "Time to apply one webhook event.",
      labelNames: ["provider"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    unauthenticated: new Counter({
      name: "webhook_jobs_unauthenticated_total",
      help: "Jobs refused and deleted because their signature was missing or wrong, by queue and reason.",
      labelNames: ["queue", "reason"],
      registers: [registry],
    }),
    endToEndSeconds: new Histogram({
      name: "webhook_event_end_to_end_seconds",
      help: "From the receiver's acceptance of a delivery to the worker's commit settling it, by path (live, retry, replay, deferred).",
      labelNames: ["provider", "path"],
      // 60 is the apply SLO's threshold; the long tail reaches the 3-day deferral horizon.
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3_600, 21_600, 86_400, 259_200],
      registers: [registry],
    }),
    stalled: new Counter({
      name: "webhook_jobs_stalled_total",
      help: "Jobs found stalled (lock lost: their worker died or hung) and moved back to wait, by queue.",
      labelNames: ["queue"],
      registers: [registry],
    }),
  };
}
