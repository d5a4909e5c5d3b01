import { parseMetricsText, sumOf } from "./prometheus-text";
import { queueSampleOf } from "./queue-sampler";

const TEXT = `# HELP webhook_queue_jobs Jobs per queue and state.
# TYPE webhook_queue_jobs gauge
webhook_queue_jobs{queue="webhooks-stripe",state="waiting"} 120
webhook_queue_jobs{queue="webhooks-stripe",state="active"} 4
webhook_queue_jobs{queue="webhooks-stripe",state="completed"} 900
webhook_queue_jobs{queue="webhooks-clerk",state="waiting"} 30
webhook_queue_jobs{queue="webhooks-clerk",state="delayed"} 2
webhook_queue_jobs{queue="maintenance",state="waiting"} 7
webhook_queue_oldest_waiting_seconds{queue="webhooks-stripe"} 12.5
webhook_queue_oldest_waiting_seconds{queue="webhooks-clerk"} 3
webhook_queue_oldest_waiting_seconds{queue="maintenance"} 99
db_pool_connections{app="worker",state="in_use"} 3
`;

describe("parseMetricsText", () => {
  it("reads names, labels and values, skipping comments", () => {
    const samples = parseMetricsText(TEXT);
    expect(samples[0]).toEqual({ name: "webhook_queue_jobs", labels: { queue: "webhooks-stripe", state: "waiting" }, value: 120 });
    expect(samples).toHaveLength(10);
    expect(sumOf(samples, "webhook_queue_jobs", { state: "waiting" })).toBe(157);
    expect(sumOf(samples, "db_pool_connections")).toBe(3);
  });
});

describe("queueSampleOf", () => {
  it("counts the webhook queues' unfinished jobs and their oldest waiting job, not the maintenance queue", () => {
    expect(queueSampleOf(parseMetricsText(TEXT), 7)).toEqual({ atSeconds: 7, depth: 156, oldestWaitingSeconds: 12.5 });
  });
});
