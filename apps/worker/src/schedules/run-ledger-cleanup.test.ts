import { createMigratedDatabase, type EventStatus, type MigratedDatabase } from "@wh/db";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueId } from "@wh/testkit";
import { UnrecoverableError } from "bullmq";
import { loadWorkerEnv } from "../env";
import { DELETABLE_STATUSES } from "./delete-settled-webhook-events";
import { runLedgerCleanup } from "./run-ledger-cleanup";
import { recordingLogger } from "./test-support/recording-logger";

/** The daily cleanup deletes from the whole table, so it runs on a database of its own. */

const NOW = new Date("2026-11-27T03:30:00Z");
const DAY = 24 * 3600 * 1000;
const ALL_STATUSES: EventStatus[] = ["completed", "failed", "dead", "skipped_stale", "skipped_duplicate", "ignored", "deferred"];

let database: MigratedDatabase;

async function ledgerRow(status: EventStatus, ageDays: number): Promise<string> {
  const eventId = uniqueId("evt");
  const receivedAt = new Date(NOW.getTime() - ageDays * DAY);
  await database.prisma.webhookEvent.create({
    data: { provider: "stripe", eventId, type: "customer.subscription.updated", status, eventCreatedAt: receivedAt, receivedAt, payload: {} },
  });
  return eventId;
}

const remaining = async () =>
  (await database.prisma.webhookEvent.findMany({ select: { eventId: true } })).map((row) => row.eventId).sort();

function cleanup(settings: { retentionDays?: number; batchSize?: number } = {}) {
  const { log, lines } = recordingLogger();
  const run = runLedgerCleanup(
    { prisma: database.prisma, log, clock: () => NOW },
    { retentionDays: settings.retentionDays ?? 30, batchSize: settings.batchSize ?? 1_000 },
  );
  return { run, lines };
}

describe("runLedgerCleanup", () => {
  beforeEach(async () => {
    database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_schedules", poolMax: 6 });
  });

  afterEach(async () => {
    await database.drop();
  });

  it("deletes completed, ignored and skipped rows past the retention, and keeps dead, failed, deferred and recent rows", async () => {
    const kept: string[] = [];
    const gone: string[] = [];
    for (const status of ALL_STATUSES) {
      kept.push(await ledgerRow(status, 29));
      (DELETABLE_STATUSES.includes(status) ? gone : kept).push(await ledgerRow(status, 31));
      (DELETABLE_STATUSES.includes(status) ? gone : kept).push(await ledgerRow(status, 400));
    }

    const { run, lines } = cleanup();
    const summary = await run;

    expect(summary).toEqual({
      cutoff: new Date(NOW.getTime() - 30 * DAY).toISOString(),
      webhookEventsDeleted: gone.length,
      idempotencyKeysDeleted: 0,
    });
    expect(gone).toHaveLength(8);
    expect(await remaining()).toEqual(kept.sort());
    expect(lines).toEqual([
      expect.objectContaining({ message: "ledger cleanup done", context: expect.objectContaining({ webhookEventsDeleted: 8 }) }),
    ]);
  });

  it("deletes in batches until nothing is left", async () => {
    for (let i = 0; i < 7; i += 1) await ledgerRow("completed", 45);
    const dead = await ledgerRow("dead", 45);

    const { run, lines } = cleanup({ batchSize: 3 });

    expect((await run).webhookEventsDeleted).toBe(7);
    expect(lines[0]?.context).toMatchObject({ batches: 3 });
    expect(await remaining()).toEqual([dead]);
  });

  it("deletes each row once when two workers clean up at the same time", async () => {
    for (let i = 0; i < 40; i += 1) await ledgerRow(i % 2 === 0 ? "completed" : "ignored", 60);

    const [a, b] = await Promise.all([cleanup({ batchSize: 5 }).run, cleanup({ batchSize: 5 }).run]);

    expect(a.webhookEventsDeleted + b.webhookEventsDeleted).toBe(40);
    expect(await remaining()).toEqual([]);
  });

  it("deletes expired Idempotency-Keys and keeps live ones", async () => {
    const user = await database.prisma.user.create({ data: { clerkUserId: uniqueId("user") } });
    const key = (name: string, expiresAt: Date) =>
      database.prisma.usageIdempotencyKey.create({
        data: { userId: user.id, key: name, requestHash: "h", outcome: {}, expiresAt },
      });
    await key("expired-1", new Date(NOW.getTime() - 1));
    await key("expired-2", new Date(NOW.getTime() - DAY));
    await key("live", new Date(NOW.getTime() + 1));

    expect((await cleanup({ batchSize: 1 }).run).idempotencyKeysDeleted).toBe(2);
    expect((await database.prisma.usageIdempotencyKey.findMany()).map((row) => row.key)).toEqual(["live"]);
  });

  it("refuses a retention shorter than the providers' 3-day retry window", async () => {
    const id = await ledgerRow("completed", 2.5);
    await expect(cleanup({ retentionDays: 2 }).run).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await remaining()).toEqual([id]);
  });
});

describe("the schedules' configuration", () => {
  const base = { REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY };

  it("defaults to the 1st of the month at 00:00, daily cleanup, 30 days of retention", () => {
    expect(loadWorkerEnv(base)).toMatchObject({
      USAGE_RESET_PATTERN: "0 0 1 * *",
      LEDGER_CLEANUP_PATTERN: "30 3 * * *",
      WEBHOOK_EVENT_RETENTION_DAYS: 30,
      LEDGER_CLEANUP_BATCH_SIZE: 1_000,
      USAGE_RESET_TIMEOUT_MS: 60_000,
      DEFERRED_EVENT_SWEEP_PATTERN: "*/15 * * * *",
      DEFERRED_EVENT_HORIZON_HOURS: 72,
    });
  });

  it("stops at start on a retention under 3 days or a malformed pattern, naming the variable", () => {
    expect(() => loadWorkerEnv({ ...base, WEBHOOK_EVENT_RETENTION_DAYS: "2" })).toThrow(/WEBHOOK_EVENT_RETENTION_DAYS: must be at least 3/);
    expect(() => loadWorkerEnv({ ...base, USAGE_RESET_PATTERN: "monthly" })).toThrow(/USAGE_RESET_PATTERN: must be a cron pattern/);
    expect(() => loadWorkerEnv({ ...base, DEFERRED_EVENT_HORIZON_HOURS: "71" })).toThrow(/DEFERRED_EVENT_HORIZON_HOURS: must be at least 72/);
    expect(loadWorkerEnv({ ...base, DEFERRED_EVENT_HORIZON_HOURS: "168" }).DEFERRED_EVENT_HORIZON_HOURS).toBe(168);
    expect(loadWorkerEnv({ ...base, WEBHOOK_EVENT_RETENTION_DAYS: "3", USAGE_RESET_PATTERN: "0 6 1 * *" })).toMatchObject({
      WEBHOOK_EVENT_RETENTION_DAYS: 3,
      USAGE_RESET_PATTERN: "0 6 1 * *",
    });
  });
});
