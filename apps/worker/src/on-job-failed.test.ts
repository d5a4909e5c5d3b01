import { createLogger } from "@wh/core";
import { createMigratedDatabase, type PrismaClient } from "@wh/db";
import { signWebhookJob, webhookJobId, type WebhookJob } from "@wh/queue";
import { clerkUserEvent, PostgresServerProcess, TEST_JOB_SIGNING_KEY, uniqueId, waitFor } from "@wh/testkit";
import type { Job } from "bullmq";
import { onJobFailed } from "./on-job-failed";
import { clerkJob } from "./test-support/apply-job";
import { createWorkerMetrics } from "./worker-metrics";

/** A dead event must reach the ledger (where replay looks) even if Postgres is down when it dies. */
let postgres: PostgresServerProcess;
let prisma: PrismaClient;

beforeAll(async () => {
  postgres = await PostgresServerProcess.start();
  const database = await createMigratedDatabase({
    serverUrl: postgres.url(),
    namePrefix: "ledger_outage",
    poolMax: 2,
    connectionTimeoutMs: 500,
  });
  prisma = database.prisma;
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await postgres?.destroy();
});

it("writes a dead event's ledger row once Postgres is back", async () => {
  const data = clerkJob(clerkUserEvent("user.created", { id: uniqueId("user"), email: "late@example.com" }));
  // What BullMQ hands to the `failed` listener after the last attempt.
  const job = { id: webhookJobId("clerk", data.eventId), name: data.type, data: signWebhookJob(data, [TEST_JOB_SIGNING_KEY]), attemptsMade: 3, opts: { attempts: 3 } } as unknown as Job<WebhookJob>;
  const warnings: string[] = [];
  const log = createLogger({
    name: "ledger-outage-test",
    level: "warn",
    destination: { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
  });
  const failed = onJobFailed({ prisma, log, metrics: createWorkerMetrics(), signingKeys: [TEST_JOB_SIGNING_KEY], deadRowRetryMs: 200 });

  await postgres.stop();
  const recording = failed(job, new Error("connection lost for good"));
  await waitFor("a failed ledger write", () => warnings.includes("could not record failure in ledger"), { timeoutMs: 20_000 });
  await postgres.resume();
  await recording;

  const row = await prisma.webhookEvent.findUniqueOrThrow({
    where: { provider_eventId: { provider: "clerk", eventId: data.eventId } },
  });
  expect(row).toMatchObject({ status: "dead", attempts: 3, lastError: "Error: connection lost for good" });
}, 60_000);
