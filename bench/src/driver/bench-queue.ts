import { closeWebhookQueues, createWebhookQueues, createWorkerConnection, type WebhookQueues } from "@wh/queue";

/** The Stripe webhook queue of one run, seen from the benchmark: depth, progress, pause. */
export class BenchQueue {
  private constructor(
    private readonly queues: WebhookQueues,
    private readonly connection: ReturnType<typeof createWorkerConnection>,
  ) {}

  static open(redisUrl: string, prefix: string): BenchQueue {
    const connection = createWorkerConnection(redisUrl);
    return new BenchQueue(createWebhookQueues(connection, prefix), connection);
  }

  /** Jobs not yet finished: waiting, active, delayed or paused. */
  async depth(): Promise<number> {
    const counts = await this.queues.stripe.getJobCounts("wait", "active", "delayed", "paused", "prioritized");
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  /** Jobs finished (completed or failed). */
  async finished(): Promise<number> {
    const counts = await this.queues.stripe.getJobCounts("completed", "failed");
    return (counts.completed ?? 0) + (counts.failed ?? 0);
  }

  /** Jobs in the queue in any state: what the receiver confirmed. */
  async total(): Promise<number> {
    return (await this.depth()) + (await this.finished());
  }

  pause(): Promise<void> {
    return this.queues.stripe.pause();
  }

  resume(): Promise<void> {
    return this.queues.stripe.resume();
  }

  async close(): Promise<void> {
    await closeWebhookQueues(this.queues);
    this.connection.disconnect();
  }
}
