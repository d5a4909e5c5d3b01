import { createLogger } from "@wh/core";
import { applyMigrations, createPrismaClient, PRISMA_MIGRATIONS_DIR, type PrismaClient } from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import { clerkUserEvent, PostgresServerProcess, uniqueId, waitFor } from "@wh/testkit";
import type { Job } from "bullmq";
import { onJobFailed } from "./on-job-failed";
import { clerkJob } from "./test-support/apply-job";
import { createWorkerMetrics } from "./worker-metrics";

/** A dead event must reach the ledger (where replay looks) even if Postgres is down when it dies. */
let postgres: PostgresServerProcess;
let prisma: PrismaClient;

beforeAll(async () => {
  postgres = await PostgresServerProcess.start();
  const url = await postgres.createDatabase("ledger_outage");
  await applyMigrations({ databaseUrl: url, migrationsDir: PRISMA_MIGRATIONS_DIR });
  prisma = createPrismaClient({ databaseUrl: url, poolMax: 2, connectionTimeoutMs: 500 });
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await postgres?.destroy();
});

it("writes a dead event's ledger row once Postgres is back", async () => {
  const data = clerkJob(clerkUserEvent("user.created", { id: uniqueId("user"), email: "late@example.com" }));
  // What BullMQ hands to the `failed` listener after the last attempt.
  const job = { id: `clerk_${data.eventId}`, name: data.type, data, attemptsMade: 3, opts: { attempts: 3 } } as unknown as Job<WebhookJob>;
  const warnings: string[] = [];
  const log = createLogger({
    name: "ledger-outage-test",
    level: "warn",
    destination: { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
  });
  const failed = onJobFailed({ prisma, log, metrics: createWorkerMetrics(), deadRowRetryMs: 200 });

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
