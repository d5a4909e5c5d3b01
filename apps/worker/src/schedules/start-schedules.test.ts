import { createMigratedDatabase, type MigratedDatabase } from "@wh/db";
import { createLogger } from "@wh/core";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  DEFAULT_DEFERRED_SWEEP_PATTERN,
  DEFAULT_LEDGER_CLEANUP_PATTERN,
  DEFAULT_USAGE_RESET_PATTERN,
  MAINTENANCE_JOBS,
  MAINTENANCE_QUEUE_NAME,
  webhookJobOptions,
  DEFAULT_RETRY_POLICY,
  type WebhookQueues,
  type RedisConnection,
} from "@wh/queue";
import { AppProcess, TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import { Queue, type Job } from "bullmq";
import { createWorkerMetrics } from "../worker-metrics";
import { startSchedules, type ScheduleSettings, type Schedules } from "./start-schedules";

/** The schedulers on real Redis (a prefix of their own) and a database of their own. */

const log = createLogger({ name: "schedules-test", level: "silent" });
let database: MigratedDatabase;
let connection: RedisConnection;
let admin: RedisConnection;
let prefix: string;
let queue: Queue;
let webhookQueues: WebhookQueues;
const started: Schedules[] = [];

function settings(overrides: Partial<ScheduleSettings> = {}): ScheduleSettings {
  return {
    connection,
    queuePrefix: prefix,
    usageResetPattern: DEFAULT_USAGE_RESET_PATTERN,
    usageResetTimeoutMs: 30_000,
    ledgerCleanupPattern: DEFAULT_LEDGER_CLEANUP_PATTERN,
    retentionDays: 30,
    cleanupBatchSize: 100,
    deferredSweepPattern: DEFAULT_DEFERRED_SWEEP_PATTERN,
    deferredHorizonHours: 72,
    lockDurationMs: 30_000,
    // Short, because BullMQ may leave one stalled-check timer running past close().
    stalledIntervalMs: 500,
    ...overrides,
  };
}

async function start(overrides: Partial<ScheduleSettings> = {}): Promise<Schedules> {
  const schedules = await startSchedules(settings(overrides), {
    prisma: database.prisma,
    log,
    metrics: createWorkerMetrics(),
    replay: { queues: webhookQueues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
  });
  started.push(schedules);
  return schedules;
}

const completedJobs = async (): Promise<Job[]> => queue.getJobs(["completed"]);

const startupCatchUpDone = (): Promise<Job[]> =>
  waitFor("the start-up catch-up to complete", async () => {
    const done = (await completedJobs()).filter((job) => job.id?.startsWith("usage-catch-up-"));
    return done.length > 0 ? done : undefined;
  });

beforeEach(async () => {
  database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_schedules", poolMax: 6 });
  connection = createWorkerConnection(testServers().redisUrl);
  admin = createProducerConnection(testServers().redisUrl);
  prefix = uniqueQueuePrefix();
  queue = new Queue(MAINTENANCE_QUEUE_NAME, { connection: admin, prefix });
  queue.on("error", () => undefined);
  webhookQueues = createWebhookQueues(admin, prefix);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((schedules) => schedules.close(30_000)));
  await queue.obliterate({ force: true });
  await queue.close();
  await closeWebhookQueues(webhookQueues);
  await admin.quit();
  await connection.quit();
  await database.drop();
});

describe("startSchedules", () => {
  it("registers every job scheduler, cron in UTC, the reset on the 1st at 00:00", async () => {
    await start();

    const schedulers = await queue.getJobSchedulers(0, -1, true);
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.name, scheduler.pattern, scheduler.tz]).sort()).toEqual([
      [MAINTENANCE_JOBS.deferredEventsSweep, MAINTENANCE_JOBS.deferredEventsSweep, "*/15 * * * *", "UTC"],
      [MAINTENANCE_JOBS.ledgerCleanup, MAINTENANCE_JOBS.ledgerCleanup, "30 3 * * *", "UTC"],
      [MAINTENANCE_JOBS.usageMonthlyReset, MAINTENANCE_JOBS.usageMonthlyReset, "0 0 1 * *", "UTC"],
    ]);
    const reset = schedulers.find((scheduler) => scheduler.key === MAINTENANCE_JOBS.usageMonthlyReset)!;
    const next = new Date(reset.next!);
    expect([next.getUTCDate(), next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([1, 0, 0, 0]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    // The next occurrence waits as a delayed job named after the scheduler.
    const delayed = await queue.getJobs(["delayed"]);
    expect(delayed.map((job) => job.id).sort()).toEqual(
      [`repeat:${MAINTENANCE_JOBS.deferredEventsSweep}:`, `repeat:${MAINTENANCE_JOBS.ledgerCleanup}:`, `repeat:${MAINTENANCE_JOBS.usageMonthlyReset}:${reset.next}`].map((id) =>
        expect.stringContaining(id),
      ),
    );
  });

  it("is idempotent: three workers starting at once leave one scheduler and one next job each", async () => {
    await Promise.all([start(), start(), start()]);

    expect(await queue.getJobSchedulersCount()).toBe(3);
    const delayed = await queue.getJobs(["delayed"]);
    expect(delayed.filter((job) => job.name === MAINTENANCE_JOBS.usageMonthlyReset)).toHaveLength(1);
    expect(delayed.filter((job) => job.name === MAINTENANCE_JOBS.ledgerCleanup)).toHaveLength(1);
    expect(delayed.filter((job) => job.name === MAINTENANCE_JOBS.deferredEventsSweep)).toHaveLength(1);
  });

  it("takes the pattern from the settings, and upserting a new one replaces the old", async () => {
    await start({ usageResetPattern: "0 6 1 * *" });
    expect((await queue.getJobScheduler(MAINTENANCE_JOBS.usageMonthlyReset))?.pattern).toBe("0 6 1 * *");
    await startupCatchUpDone();
    const first = started.pop()!;
    await first.close(30_000);
    await start();

    const reset = await queue.getJobScheduler(MAINTENANCE_JOBS.usageMonthlyReset);
    expect(reset?.pattern).toBe("0 0 1 * *");
    expect(new Date(reset!.next!).getUTCHours()).toBe(0);
  });

  it("checks at start that every ended period is closed", async () => {
    const user = await database.prisma.user.create({ data: { clerkUserId: uniqueId("user"), currentPlan: "starter" } });
    const lastYear = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 5, 1));
    await database.prisma.usagePeriod.create({ data: { periodStart: lastYear, periodEnd: new Date(Date.UTC(lastYear.getUTCFullYear(), 6, 1)) } });
    await database.prisma.usageCounter.create({ data: { userId: user.id, metric: "searches", periodStart: lastYear, used: 9, updatedAt: new Date() } });

    await start();
    const [catchUp] = await startupCatchUpDone();

    // Every month from last June up to the one before this one is closed, none after.
    const open = await database.prisma.usagePeriod.findMany({ where: { closedAt: null } });
    expect(open.map((period) => period.periodEnd.getTime() > Date.now())).toEqual([true]);
    const closed = await database.prisma.usagePeriod.count({ where: { closedAt: { not: null } } });
    expect(closed).toBe((catchUp!.returnvalue as { closed: string[] }).closed.length);
    expect(closed).toBeGreaterThanOrEqual(6);
    expect(await database.prisma.usagePeriodTotal.findUnique({
      where: { userId_periodStart_metric: { userId: user.id, periodStart: lastYear, metric: "searches" } },
    })).toMatchObject({ used: 9 });
  });

  it("runs the reset when its scheduler fires, going by the scheduled time", async () => {
    // Every second instead of monthly, so that a scheduled occurrence happens during the test.
    await start({ usageResetPattern: "* * * * * *" });

    const fired = await waitFor("a scheduled reset to complete", async () =>
      (await completedJobs()).find((job) => job.id?.startsWith(`repeat:${MAINTENANCE_JOBS.usageMonthlyReset}:`)),
    );

    const scheduledMs = Number(fired.id!.split(":").at(-1));
    expect(fired.returnvalue).toMatchObject({ scheduledFor: new Date(scheduledMs).toISOString() });
    expect(new Date((fired.returnvalue as { through: string }).through).getTime()).toBeGreaterThanOrEqual(scheduledMs);
  });
});

describe("the built worker", () => {
  it("registers the schedulers in Redis when it starts", async () => {
    const worker = await AppProcess.start("worker", {
      REDIS_URL: testServers().redisUrl,
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      DATABASE_POOL_MAX: "10",
      WORKER_CONCURRENCY: "2",
    });
    try {
      await waitFor("the worker to start", () => worker.logs().includes("worker started"));
      await waitFor("the schedulers in Redis", async () => (await queue.getJobSchedulersCount()) === 3);
      expect((await queue.getJobScheduler(MAINTENANCE_JOBS.usageMonthlyReset))?.pattern).toBe("0 0 1 * *");
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });
});
