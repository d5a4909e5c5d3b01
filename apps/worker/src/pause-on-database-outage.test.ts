import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  webhookJobId,
  webhookJobOptions,
  WebhookProducer,
  type WebhookQueues,
} from "@wh/queue";
import { clerkUserEvent, freePort, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { startWebhookWorkers } from "./start-webhook-workers";
import { clerkJob } from "./test-support/apply-job";
import { createWorkerMetrics } from "./worker-metrics";

/** Workers whose Postgres is unreachable: jobs must wait, not spend their attempts. */
let prisma: PrismaClient;
let producerRedis: Redis;
let workerRedis: Redis;
let queues: WebhookQueues;
let workers: Worker[];
let logLines: string[];

beforeAll(async () => {
  const { redisUrl } = testServers();
  const prefix = uniqueQueuePrefix();
  prisma = createPrismaClient({
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/webhooks`,
    poolMax: 3,
    connectionTimeoutMs: 500,
  });
  producerRedis = createProducerConnection(redisUrl);
  workerRedis = createWorkerConnection(redisUrl);
  queues = createWebhookQueues(producerRedis, prefix);
  logLines = [];
  const log = createLogger({
    name: "outage-test",
    level: "warn",
    destination: { write: (line: string) => logLines.push((JSON.parse(line) as { msg: string }).msg) },
  });
  workers = startWebhookWorkers(
    {
      connection: workerRedis,
      queuePrefix: prefix,
      concurrency: 1,
      jobTimeoutMs: 2_000,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      stripeLivemode: false,
      databaseOutagePauseMs: 100,
    },
    { prisma, log, metrics: createWorkerMetrics() },
  );
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close(true)));
  await Promise.all(Object.values(queues).map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(queues);
  producerRedis.disconnect();
  workerRedis.disconnect();
  await prisma.$disconnect();
});

it("keeps a job's attempts while the database is unreachable, however often it is tried", async () => {
  const producer = new WebhookProducer({
    queues,
    jobOptions: webhookJobOptions({ attempts: 2, backoffMs: 10, keepCompletedSeconds: 60, keepFailedSeconds: 60 }),
    timeoutMs: 2_000,
  });
  const job = clerkJob(clerkUserEvent("user.created", { id: uniqueId("user"), email: "outage@example.com" }));
  await producer.enqueue(job);
  await waitFor("five paused tries", () => logLines.filter((line) => line.startsWith("database unavailable")).length >= 5, {
    timeoutMs: 30_000,
  });
  const stored = await queues.clerk.getJob(webhookJobId("clerk", job.eventId));
  expect(stored?.attemptsMade).toBe(0);
  expect(await stored?.getState()).not.toBe("failed");
});
