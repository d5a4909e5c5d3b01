import { createLogger } from "@wh/core";
import { createMigratedDatabase, type MigratedDatabase } from "@wh/db";
import {
  createWorkerConnection,
  DEFAULT_DEFERRED_SWEEP_PATTERN,
  DEFAULT_LEDGER_CLEANUP_PATTERN,
  DEFAULT_STRIPE_RECONCILE_PATTERN,
  DEFAULT_USAGE_RESET_PATTERN,
  MAINTENANCE_JOBS,
  webhookJobOptions,
  type RetryPolicy,
  type RedisConnection,
} from "@wh/queue";
import {
  AppProcess,
  invoiceObject,
  startFakeStripeApi,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  waitFor,
  type FakeStripeApi,
} from "@wh/testkit";
import type { Job } from "bullmq";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "../test-support/test-webhook-workers";
import { createWorkerMetrics } from "../worker-metrics";
import { startSchedules, type ScheduleSettings, type Schedules } from "./start-schedules";
import type { StripeReconcileRunSummary } from "./run-stripe-reconcile";

/**
 * The worker's Stripe reconciliation end to end: a fake Stripe API, a database of its own, the
 * maintenance worker running the reconciliation job, real webhook workers applying what it queues.
 */
const log = createLogger({ name: "reconcile-test", level: "silent" });
const retryPolicy: RetryPolicy = { attempts: 3, backoffMs: 50, keepCompletedSeconds: 600, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 };
const LEGACY_API_VERSION = "2024-06-20";
const DAY_S = 86_400;

let database: MigratedDatabase;
let system: TestWebhookWorkers;
let connection: RedisConnection;
let stripeApi: FakeStripeApi;
const started: Schedules[] = [];

beforeEach(async () => {
  database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_reconcile", poolMax: 6 });
  system = await startTestWebhookWorkers({
    prisma: database.prisma,
    log,
    metrics: createWorkerMetrics(),
    retryPolicy,
    settings: { concurrency: 2, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
  connection = createWorkerConnection(testServers().redisUrl);
  stripeApi = await startFakeStripeApi();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((schedules) => schedules.close(30_000)));
  await stripeApi.close();
  await system.close();
  await connection.quit();
  await database.drop();
});

async function start(withStripeKey: boolean): Promise<Schedules> {
  const settings: ScheduleSettings = {
    connection,
    queuePrefix: system.queues.stripe.opts.prefix!,
    usageResetPattern: DEFAULT_USAGE_RESET_PATTERN,
    usageResetTimeoutMs: 30_000,
    ledgerCleanupPattern: DEFAULT_LEDGER_CLEANUP_PATTERN,
    retentionDays: 30,
    cleanupBatchSize: 100,
    deferredSweepPattern: DEFAULT_DEFERRED_SWEEP_PATTERN,
    deferredHorizonHours: 72,
    stripeReconcile: withStripeKey
      ? { apiKey: "rk_test_reconcile", apiUrl: stripeApi.url, pattern: DEFAULT_STRIPE_RECONCILE_PATTERN, windowHours: 48 }
      : undefined,
    lockDurationMs: 30_000,
    stalledIntervalMs: 500,
  };
  const schedules = await startSchedules(settings, {
    prisma: database.prisma,
    log,
    metrics: createWorkerMetrics(),
    replay: { queues: system.queues, jobOptions: webhookJobOptions(retryPolicy), signingKeys: [TEST_JOB_SIGNING_KEY] },
  });
  started.push(schedules);
  return schedules;
}

async function reconcileNow(schedules: Schedules): Promise<StripeReconcileRunSummary> {
  const job = await schedules.queue.add(MAINTENANCE_JOBS.stripeReconcile, {}, { jobId: uniqueId("reconcile-test") });
  const done = await waitFor("the reconciliation to complete", async () => {
    const state = await job.getState();
    if (state === "failed") throw new Error(`reconciliation failed: ${(await schedules.queue.getJob(job.id!))?.failedReason}`);
    return state === "completed" ? ((await schedules.queue.getJob(job.id!)) as Job) : undefined;
  });
  return done.returnvalue as StripeReconcileRunSummary;
}

describe("the stripe-reconcile scheduler", () => {
  it("exists only while STRIPE_API_KEY is set, and goes when a worker starts without it", async () => {
    const withKey = await start(true);
    expect((await withKey.queue.getJobScheduler(MAINTENANCE_JOBS.stripeReconcile))?.pattern).toBe("15 4 * * *");
    await started.pop()!.close(30_000);

    const withoutKey = await start(false);
    expect(await withoutKey.queue.getJobScheduler(MAINTENANCE_JOBS.stripeReconcile)).toBeUndefined();
    expect((await withoutKey.queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key).sort()).toEqual(
      [MAINTENANCE_JOBS.deferredEventsSweep, MAINTENANCE_JOBS.ledgerCleanup, MAINTENANCE_JOBS.usageMonthlyReset].sort(),
    );
  });

  it("queues the events the ledger never saw, in both API versions' shapes, and the workers apply each once", async () => {
    const now = Math.floor(Date.now() / 1000);
    const legacyStart = now - 10 * DAY_S;
    const basilStart = now - 5 * DAY_S;
    const legacySub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), clerkUserId: uniqueId("user"), status: "active", plan: "pro", periodStart: legacyStart, shape: "legacy" });
    const basilSub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), clerkUserId: uniqueId("user"), status: "active", plan: "pro", periodStart: basilStart, shape: "basil" });
    const legacy = (event: Record<string, unknown>): Record<string, unknown> => ({ ...event, api_version: LEGACY_API_VERSION });
    const missing = [
      legacy(stripeEvent("customer.subscription.created", legacySub, { created: now - 600 })),
      stripeEvent("customer.subscription.created", basilSub, { created: now - 500 }),
      legacy(stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId: legacySub.id as string, shape: "legacy" }), { created: now - 400 })),
      stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId: basilSub.id as string, shape: "basil" }), { created: now - 300 }),
    ];
    // A type the workers do not apply: not even listed.
    const unhandled = stripeEvent("charge.succeeded", { id: uniqueId("ch"), object: "charge" }, { created: now - 200 });
    stripeApi.events.push(...missing, unhandled);
    const schedules = await start(true);

    const first = await reconcileNow(schedules);

    expect(first).toMatchObject({ checked: 4, missing: 4, enqueued: 4, skipped: 0, errors: 0 });
    const ids = missing.map((event) => event.id as string);
    const rows = await waitFor("the queued events to settle", async () => {
      const settled = await database.prisma.webhookEvent.findMany({ where: { eventId: { in: ids } } });
      return settled.length === ids.length && settled.every((row) => row.status === "completed") ? settled : undefined;
    });
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1, 1]);
    const periods = await database.prisma.subscription.findMany({
      where: { stripeSubscriptionId: { in: [legacySub.id as string, basilSub.id as string] } },
      select: { stripeSubscriptionId: true, currentPeriodStart: true, status: true },
    });
    expect(Object.fromEntries(periods.map((row) => [row.stripeSubscriptionId, row.currentPeriodStart?.getTime()]))).toEqual({
      [legacySub.id as string]: legacyStart * 1000,
      [basilSub.id as string]: basilStart * 1000,
    });
    // Both invoice shapes found their subscription: the failure moved each to past_due.
    expect(periods.map((row) => row.status)).toEqual(["past_due", "past_due"]);
    expect(stripeApi.requests.every((url) => url.searchParams.has("types[0]"))).toBe(true);

    const second = await reconcileNow(schedules);

    expect(second).toMatchObject({ checked: 4, missing: 0, unsettled: 0, enqueued: 0 });
  });
});

describe("the built worker", () => {
  it("registers the stripe-reconcile scheduler from STRIPE_API_KEY and STRIPE_RECONCILE_PATTERN", async () => {
    const schedules = await start(false);
    const worker = await AppProcess.start("worker", {
      REDIS_URL: testServers().redisUrl,
      DATABASE_URL: database.url,
      QUEUE_PREFIX: system.queues.stripe.opts.prefix!,
      DATABASE_POOL_MAX: "10",
      WORKER_CONCURRENCY: "2",
      STRIPE_API_KEY: "rk_test_reconcile",
      STRIPE_API_URL: stripeApi.url,
      STRIPE_RECONCILE_PATTERN: "0 5 * * *",
    });
    try {
      await waitFor("the worker to start", () => worker.logs().includes("worker started"));
      const scheduler = await waitFor("the stripe-reconcile scheduler", async () => (await schedules.queue.getJobScheduler(MAINTENANCE_JOBS.stripeReconcile)) ?? undefined);
      expect(scheduler.pattern).toBe("0 5 * * *");
      expect(worker.logs()).not.toContain("rk_test_reconcile");
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });
});
