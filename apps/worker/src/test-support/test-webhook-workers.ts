import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  webhookJobOptions,
  WebhookProducer,
  type RetryPolicy,
  type WebhookQueues,
} from "@wh/queue";
import { testServers, uniqueQueuePrefix } from "@wh/testkit";
import { startWebhookWorkers, type WebhookWorkerSettings } from "../start-webhook-workers";
import type { WorkerMetrics } from "../worker-metrics";

export interface TestWebhookWorkers {
  queues: WebhookQueues;
  producer: WebhookProducer;
  /** Closes the workers (at once with `force`), removes the queues' keys, closes the connections. */
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * Real BullMQ webhook workers on the test Redis, on queues of their own, with a producer for
 * them. Settings not given are short test defaults.
 */
export async function startTestWebhookWorkers(options: {
  prisma: PrismaClient;
  log: Logger;
  metrics: WorkerMetrics;
  retryPolicy: RetryPolicy;
  settings: Pick<WebhookWorkerSettings, "concurrency" | "jobTimeoutMs" | "databaseOutagePauseMs">;
}): Promise<TestWebhookWorkers> {
  const { redisUrl } = testServers();
  const prefix = uniqueQueuePrefix();
  const producerRedis = createProducerConnection(redisUrl);
  const workerRedis = createWorkerConnection(redisUrl);
  const queues = createWebhookQueues(producerRedis, prefix);
  const jobOptions = webhookJobOptions(options.retryPolicy);
  const producer = new WebhookProducer({ queues, jobOptions, timeoutMs: 2_000 });
  const workers = startWebhookWorkers(
    {
      connection: workerRedis,
      queuePrefix: prefix,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      stripeLivemode: false,
      ...options.settings,
    },
    { prisma: options.prisma, log: options.log, metrics: options.metrics, replay: { queues, jobOptions } },
  );
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    queues,
    producer,
    async close({ force = false } = {}) {
      await Promise.all(workers.map((worker) => worker.close(force)));
      await Promise.all(Object.values(queues).map((queue) => queue.obliterate({ force: true })));
      await closeWebhookQueues(queues);
      producerRedis.disconnect();
      workerRedis.disconnect();
    },
  };
}
