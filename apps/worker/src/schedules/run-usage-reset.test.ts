import { createMigratedDatabase, type MigratedDatabase } from "@wh/db";
import { calendarMonthUtc, PlanValidator } from "@wh/billing";
import { MAINTENANCE_JOBS, scheduledTimeOf, type WebhookQueues } from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueId } from "@wh/testkit";
import { UnrecoverableError } from "bullmq";
import { createWorkerMetrics } from "../worker-metrics";
import { createMaintenanceProcessor } from "./process-maintenance-job";
import { runUsageReset } from "./run-usage-reset";
import { recordingLogger } from "./test-support/recording-logger";

/**
 * The processor of the monthly reset with the clock injected: a job is what BullMQ hands the
 * worker (id `repeat:<scheduler>:<scheduled ms>`), so missed months take no waiting.
 */

const at = (iso: string) => new Date(iso);
const month = (iso: string) => calendarMonthUtc.periodContaining(at(iso));
const schedulerJob = (scheduledFor: Date) => ({
  id: `repeat:${MAINTENANCE_JOBS.usageMonthlyReset}:${scheduledFor.getTime()}`,
  name: MAINTENANCE_JOBS.usageMonthlyReset,
  // BullMQ stamps the job when it creates it, a period before it is due.
  timestamp: scheduledFor.getTime() - 28 * 24 * 3600 * 1000,
});

let database: MigratedDatabase;

beforeEach(async () => {
  database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_schedules", poolMax: 6 });
});

afterEach(async () => {
  await database.drop();
});

async function userWithUsage(plan: string, usage: [string, number][]): Promise<{ id: string; clerkUserId: string }> {
  const user = await database.prisma.user.create({ data: { clerkUserId: uniqueId("user"), currentPlan: plan } });
  for (const [when, amount] of usage) {
    const meter = new PlanValidator({ prisma: database.prisma, timeoutMs: 10_000, clock: () => at(when) });
    const outcome = await meter.recordUsage({ clerkUserId: user.clerkUserId, metric: "searches", amount });
    if (outcome.status !== "granted") throw new Error(`setup: ${JSON.stringify(outcome)}`);
  }
  return user;
}

const closedPeriods = async () =>
  (await database.prisma.usagePeriod.findMany({ where: { closedAt: { not: null } }, orderBy: { periodStart: "asc" } })).map(
    (row) => [row.periodStart.toISOString().slice(0, 7), row.closedBy],
  );

const total = async (userId: string, iso: string) =>
  (
    await database.prisma.usagePeriodTotal.findUnique({
      where: { userId_periodStart_metric: { userId, periodStart: month(iso).start, metric: "searches" } },
    })
  )?.used;

function deps(clock: Date) {
  return { prisma: database.prisma, log: recordingLogger().log, clock: () => clock, timeoutMs: 30_000 };
}

describe("scheduledTimeOf", () => {
  it("reads the scheduled time from a scheduler job's id, and uses the add time for other jobs", () => {
    expect(scheduledTimeOf({ id: "repeat:usage-monthly-reset:1796083200000", timestamp: 1 })).toEqual(at("2026-12-01T00:00:00Z"));
    expect(scheduledTimeOf({ id: "usage-catch-up-1-abc", timestamp: 1_796_083_200_000 })).toEqual(at("2026-12-01T00:00:00Z"));
    expect(scheduledTimeOf({ timestamp: 5 })).toEqual(new Date(5));
  });
});

describe("runUsageReset", () => {
  it("closes the period its scheduled time ends, even on a worker whose clock is still before it", async () => {
    const user = await userWithUsage("starter", [["2026-11-20T00:00:00Z", 6]]);
    const job = schedulerJob(at("2026-12-01T00:00:00Z"));

    // This worker's clock runs 2 s behind the one that scheduled the job.
    const summary = await runUsageReset(job, deps(at("2026-11-30T23:59:58Z")));

    expect(summary).toEqual({
      scheduledFor: "2026-12-01T00:00:00.000Z",
      through: "2026-12-01T00:00:00.000Z",
      closed: ["2026-11-01T00:00:00.000Z"],
      alreadyClosed: [],
    });
    expect(await closedPeriods()).toEqual([["2026-11", job.id]]);
    expect(await total(user.id, "2026-11-15")).toBe(6);
  });

  it("does not close a period that has not ended when the job is started long before its time (promoted by hand)", async () => {
    await userWithUsage("starter", [["2026-11-20T00:00:00Z", 6]]);
    const { log, lines } = recordingLogger();

    const summary = await runUsageReset(schedulerJob(at("2026-12-01T00:00:00Z")), { ...deps(at("2026-11-25T10:00:00Z")), log });

    expect(summary).toMatchObject({ through: "2026-11-25T10:00:00.000Z", closed: [] });
    expect(await closedPeriods()).toEqual([]);
    expect(lines[0]).toMatchObject({ level: "warn" });
  });

  it("runs twice, or on two workers at once, with the effect of once", async () => {
    const user = await userWithUsage("pro", [["2026-11-20T00:00:00Z", 4]]);
    const job = schedulerJob(at("2026-12-01T00:00:00Z"));

    const [a, b] = await Promise.all([
      runUsageReset(job, deps(at("2026-12-01T00:00:01Z"))),
      runUsageReset(job, deps(at("2026-12-01T00:00:01Z"))),
    ]);
    const retry = await runUsageReset(job, deps(at("2026-12-01T00:05:00Z")));

    expect([...a.closed, ...b.closed]).toEqual(["2026-11-01T00:00:00.000Z"]);
    expect(retry.closed).toEqual([]);
    expect(await total(user.id, "2026-11-15")).toBe(4);
    expect(await database.prisma.usagePeriodTotal.count()).toBe(2);
  });

  it("catches up after a missed month: the one late occurrence closes every ended period once", async () => {
    const user = await userWithUsage("starter", [
      ["2026-10-20T00:00:00Z", 1],
      ["2026-11-20T00:00:00Z", 2],
      ["2027-01-05T00:00:00Z", 3],
    ]);
    // Down from mid-November to January 10th: the scheduler's pending job was for December 1st,
    // and BullMQ runs that one late, not one per missed month.
    const late = schedulerJob(at("2026-12-01T00:00:00Z"));

    const summary = await runUsageReset(late, deps(at("2027-01-10T09:00:00Z")));

    expect(summary.closed).toEqual(["2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
    expect(summary.through).toBe("2027-01-10T09:00:00.000Z");
    expect(await total(user.id, "2026-10-15")).toBe(1);
    expect(await total(user.id, "2026-11-15")).toBe(2);
    expect(await total(user.id, "2026-12-15")).toBe(0);
    // January's usage is January's: not erased, not shadowed.
    expect(await new PlanValidator({ prisma: database.prisma, timeoutMs: 10_000, clock: () => at("2027-01-10T09:00:00Z") })
      .entitlements(user.clerkUserId)).toMatchObject({ status: "ok", entitlements: { metrics: { searches: { used: 3 } } } });

    // Its retry, the worker's start-up check and the next regular run apply nothing twice.
    expect((await runUsageReset(late, deps(at("2027-01-10T09:01:00Z")))).closed).toEqual([]);
    const startup = { id: "usage-catch-up-1-abcdef12", name: MAINTENANCE_JOBS.usageMonthlyReset, timestamp: at("2027-01-10T09:02:00Z").getTime() };
    expect((await runUsageReset(startup, deps(at("2027-01-10T09:02:00Z")))).closed).toEqual([]);
    const february = await runUsageReset(schedulerJob(at("2027-02-01T00:00:00Z")), deps(at("2027-02-01T00:00:00Z")));
    expect(february.closed).toEqual(["2027-01-01T00:00:00.000Z"]);
    expect(await total(user.id, "2027-01-15")).toBe(3);
    expect(await closedPeriods()).toEqual([
      ["2026-10", late.id],
      ["2026-11", late.id],
      ["2026-12", late.id],
      ["2027-01", schedulerJob(at("2027-02-01T00:00:00Z")).id],
    ]);
  });

  it("logs each closed period and the run", async () => {
    await userWithUsage("starter", [["2026-11-20T00:00:00Z", 1]]);
    const { log, lines } = recordingLogger();
    await runUsageReset(schedulerJob(at("2026-12-01T00:00:00Z")), { ...deps(at("2026-12-01T00:00:00Z")), log });
    expect(lines.map((line) => line.message)).toEqual(["usage period closed", "usage reset done"]);
    expect(lines[0]?.context).toMatchObject({ periodStart: "2026-11-01T00:00:00.000Z", totals: 2, opened: 2 });
  });
});

describe("the maintenance processor", () => {
  it("refuses a job it does not know as unrecoverable", async () => {
    const processor = createMaintenanceProcessor({
      prisma: database.prisma,
      log: recordingLogger().log,
      clock: () => new Date(),
      usageResetTimeoutMs: 1_000,
      cleanup: { retentionDays: 30, batchSize: 10 },
      metrics: createWorkerMetrics(),
      replay: { queues: {} as WebhookQueues, jobOptions: {}, signingKeys: [TEST_JOB_SIGNING_KEY] },
      deferredHorizonHours: 72,
    });
    await expect(processor({ id: "x", name: "reindex-everything", timestamp: 0 })).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
