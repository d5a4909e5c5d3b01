import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ReceiverMetrics {
  registry: Registry;
  deliveries: Counter<"provider" | "outcome">;
  enqueueSeconds: Histogram<"provider">;
}

export function createReceiverMetrics(): ReceiverMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: "webhook_deliveries_total",
      help: "Webhook deliveries by provider and outcome (enqueued, duplicate, retried, replaced, or the rejection reason).",
      labelNames: ["provider", "outcome"],
      registers: [registry],
    }),
    enqueueSeconds: new Histogram({
      name: "webhook_enqueue_seconds",
      help: "Time for Redis to confirm a webhook job.",
      labelNames: ["provider"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers: [registry],
    }),
  };
}
