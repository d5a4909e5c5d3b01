import { scrapeMetrics, sumOf, type MetricSample } from "./prometheus-text";

/** The webhook queues at one moment, as the dashboard's /metrics reports them. */
export interface QueueSample {
  /** Seconds since the load started. */
  atSeconds: number;
  /** Jobs not finished yet (waiting, active, delayed, prioritized), every webhook queue. */
  depth: number;
  /** The oldest waiting job's age over the webhook queues (webhook_queue_oldest_waiting_seconds). */
  oldestWaitingSeconds: number;
}

const UNFINISHED_STATES = ["waiting", "active", "delayed", "prioritized"];
const isWebhookQueue = (queue: string | undefined) => queue !== undefined && queue.startsWith("webhooks");

/** Depth and oldest age from one scrape of the dashboard (`webhook_queue_jobs`, `webhook_queue_oldest_waiting_seconds`). */
export function queueSampleOf(samples: readonly MetricSample[], atSeconds: number): QueueSample {
  const webhook = samples.filter((sample) => isWebhookQueue(sample.labels.queue));
  const depth = UNFINISHED_STATES.reduce((sum, state) => sum + sumOf(webhook, "webhook_queue_jobs", { state }), 0);
  const oldest = webhook.filter((sample) => sample.name === "webhook_queue_oldest_waiting_seconds").map((sample) => sample.value);
  return { atSeconds, depth, oldestWaitingSeconds: Math.max(0, ...oldest) };
}

/**
 * Scrapes the dashboard's /metrics every `intervalMs` while the load runs (the dashboard samples
 * BullMQ itself, every QUEUE_METRICS_INTERVAL_MS); a failed scrape is skipped, not fatal.
 */
export class QueueSampler {
  readonly samples: QueueSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dashboardUrl: string,
    private readonly startedAt: number,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sample().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** One scrape, appended to `samples`. */
  private async sample(): Promise<void> {
    try {
      this.samples.push(queueSampleOf(await scrapeMetrics(this.dashboardUrl), (Date.now() - this.startedAt) / 1000));
    } catch {
      // a failed scrape leaves a gap in the chart; the drain wait reads the next one
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
