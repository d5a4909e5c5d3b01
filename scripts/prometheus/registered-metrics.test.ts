import { registeredMetrics } from "./registered-metrics";

/** Issue 9's metric interface: the alert rules, the SLOs and the Grafana dashboard read these names and labels. */
const INTERFACE: Record<string, { type: string; labelNames: string[] }> = {
  webhook_queue_jobs: { type: "gauge", labelNames: ["queue", "state"] },
  webhook_queue_oldest_waiting_seconds: { type: "gauge", labelNames: ["queue"] },
  redis_memory_used_bytes: { type: "gauge", labelNames: [] },
  redis_memory_max_bytes: { type: "gauge", labelNames: [] },
  webhook_event_end_to_end_seconds: { type: "histogram", labelNames: ["provider", "path"] },
  webhook_jobs_stalled_total: { type: "counter", labelNames: ["queue"] },
  db_pool_connections: { type: "gauge", labelNames: ["app", "state"] },
  db_pool_acquire_seconds: { type: "histogram", labelNames: ["app"] },
};

it("finds the metrics of every app and package in the sources", () => {
  const files = new Set([...registeredMetrics().values()].map((metric) => metric.file));

  expect([...files].sort()).toEqual(
    expect.arrayContaining([
      "apps/dashboard/src/dashboard-metrics.ts",
      "apps/receiver/src/receiver-metrics.ts",
      "apps/worker/src/worker-metrics.ts",
      "packages/db/src/pool-metrics.ts",
    ]),
  );
});

it.each(Object.entries(INTERFACE))("registers %s with exactly the issue's type and labels", (name, expected) => {
  const metric = registeredMetrics().get(name);

  expect(metric && { type: metric.type, labelNames: [...metric.labelNames].sort() }).toEqual({ type: expected.type, labelNames: [...expected.labelNames].sort() });
});
