import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { webhookJobId } from "@wh/queue";
import { clerkUserEvent, freePort, uniqueId, waitFor } from "@wh/testkit";
import { clerkJob } from "./test-support/apply-job";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "./test-support/test-webhook-workers";
import { createWorkerMetrics } from "./worker-metrics";

/** Workers whose Postgres is unreachable: jobs must wait, not spend their attempts. */
let prisma: PrismaClient;
let system: TestWebhookWorkers;
let logLines: string[];

beforeAll(async () => {
  prisma = createPrismaClient({
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/webhooks`,
    poolMax: 3,
    connectionTimeoutMs: 500,
  });
  logLines = [];
  const log = createLogger({
    name: "outage-test",
    level: "warn",
    destination: { write: (line: string) => logLines.push((JSON.parse(line) as { msg: string }).msg) },
  });
  system = await startTestWebhookWorkers({
    prisma,
    log,
    metrics: createWorkerMetrics(),
    retryPolicy: { attempts: 2, backoffMs: 10, keepCompletedSeconds: 60, keepFailedSeconds: 60, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 1, jobTimeoutMs: 2_000, databaseOutagePauseMs: 100 },
  });
});

afterAll(async () => {
  await system.close({ force: true });
  await prisma.$disconnect();
});

it("keeps a job's attempts while the database is unreachable, however often it is tried", async () => {
  const { producer, queues } = system;
  const job = clerkJob(clerkUserEvent("user.created", { id: uniqueId("user"), email: "outage@example.com" }));
  await producer.enqueue(job);
  await waitFor("five paused tries", () => logLines.filter((line) => line.startsWith("database unavailable")).length >= 5, {
    timeoutMs: 30_000,
  });
  const stored = await queues.clerk.getJob(webhookJobId("clerk", job.eventId));
  expect(stored?.attemptsMade).toBe(0);
  expect(await stored?.getState()).not.toBe("failed");
});
