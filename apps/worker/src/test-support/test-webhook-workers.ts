import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  webhookJobOptions,
  WebhookProducer,
  type RetryPolicy,
  type WebhookJob,
  type WebhookQueues,
  type RedisConnection,
} from "@wh/queue";
import type { Worker } from "bullmq";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueQueuePrefix } from "@wh/testkit";
import { startWebhookWorkers, type WebhookWorkerSettings } from "../start-webhook-workers";
import type { WorkerMetrics } from "../worker-metrics";

export interface TestWebhookWorkers {
  queues: WebhookQueues;
  producer: WebhookProducer;
  /** One per provider queue, as startWebhookWorkers returns them. */
  workers: Worker<WebhookJob>[];
  /** The workers' Redis connection. */
  workerRedis: RedisConnection;
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
  settings: Pick<WebhookWorkerSettings, "concurrency" | "jobTimeoutMs" | "databaseOutagePauseMs"> &
    Partial<Pick<WebhookWorkerSettings, "stalledIntervalMs">>;
  /** Queues that already hold jobs; by default a prefix of their own. */
  queuePrefix?: string;
}): Promise<TestWebhookWorkers> {
  const { redisUrl } = testServers();
  const prefix = options.queuePrefix ?? uniqueQueuePrefix();
  const producerRedis = createProducerConnection(redisUrl);
  const workerRedis = createWorkerConnection(redisUrl);
  const queues = createWebhookQueues(producerRedis, prefix);
  const jobOptions = webhookJobOptions(options.retryPolicy);
  const producer = new WebhookProducer({ queues, jobOptions, timeoutMs: 2_000, signingKeys: [TEST_JOB_SIGNING_KEY] });
  const workers = startWebhookWorkers(
    {
      connection: workerRedis,
      queuePrefix: prefix,
      queueShards: 1,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      stripeLivemode: false,
      signingKeys: [TEST_JOB_SIGNING_KEY],
      ...options.settings,
    },
    { prisma: options.prisma, log: options.log, metrics: options.metrics, replay: { queues, jobOptions, signingKeys: [TEST_JOB_SIGNING_KEY] } },
  );
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    queues,
    producer,
    workers,
    workerRedis,
    async close({ force = false } = {}) {
      await Promise.all(workers.map((worker) => worker.close(force)));
      await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
      await closeWebhookQueues(queues);
      producerRedis.disconnect();
      workerRedis.disconnect();
    },
  };
}
