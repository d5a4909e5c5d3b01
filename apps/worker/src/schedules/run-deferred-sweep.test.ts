import { createMigratedDatabase, type MigratedDatabase } from "@wh/db";
import { checkoutSession, invoiceObject, stripeEvent, subscriptionObject, TEST_JOB_SIGNING_KEY, testServers, uniqueId, waitFor } from "@wh/testkit";
import { createLogger } from "@wh/core";
import { applyWebhookEvent } from "../apply-webhook-event";
import { stripeJob } from "../test-support/apply-job";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "../test-support/test-webhook-workers";
import { createWorkerMetrics, type WorkerMetrics } from "../worker-metrics";
import { runDeferredSweep } from "./run-deferred-sweep";
import { recordingLogger } from "./test-support/recording-logger";

/**
 * The sweep reads every deferred row of the table, so it runs on a database of its own, with
 * real BullMQ workers applying what it releases.
 */
const NOW = new Date();
const HOUR_MS = 3_600_000;

let database: MigratedDatabase;
let system: TestWebhookWorkers;
let metrics: WorkerMetrics;

beforeEach(async () => {
  database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_deferred", poolMax: 6 });
  metrics = createWorkerMetrics();
  system = await startTestWebhookWorkers({
    prisma: database.prisma,
    log: createLogger({ name: "sweep-test", level: "silent" }),
    metrics,
    retryPolicy: { attempts: 3, backoffMs: 50, keepCompletedSeconds: 600, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 2, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
});

afterEach(async () => {
  await system.close();
  await database.drop();
});

/** Applies a job straight to the database, as a worker would, but with no queue to release anything. */
async function applyDirectly(job: ReturnType<typeof stripeJob>) {
  return applyWebhookEvent(database.prisma, job, { timeoutMs: 10_000, stripeLivemode: false, attempt: 1 });
}

/** A subscription event of a customer nobody linked yet, received `ageHours` before NOW. */
async function deferredSubscriptionEvent(ageHours: number, customerId = uniqueId("cus")) {
  const job = stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" })));
  job.receivedAt = NOW.getTime() - ageHours * HOUR_MS;
  expect((await applyDirectly(job)).status).toBe("deferred");
  return { job, customerId };
}

const status = async (eventId: string) =>
  (await database.prisma.webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider: "stripe", eventId } } })).status;

function sweep(horizonHours = 72) {
  const { log, lines } = recordingLogger();
  const run = runDeferredSweep({ prisma: database.prisma, log, metrics, clock: () => NOW, replay: { queues: system.queues, jobOptions: {}, signingKeys: [TEST_JOB_SIGNING_KEY] } }, { horizonHours });
  return { run, lines };
}

describe("runDeferredSweep", () => {
  it("re-runs a deferred event whose key exists, even when nothing released it", async () => {
    const clerkUserId = uniqueId("user");
    const { job, customerId } = await deferredSubscriptionEvent(1);
    // The checkout is applied, but its worker "died" before releasing: no queue saw it.
    await applyDirectly(stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }))));
    expect(await status(job.eventId)).toBe("deferred");

    expect(await sweep().run).toMatchObject({ expired: 0, released: 1 });

    await waitFor("the released event applied", async () => (await status(job.eventId)) === "completed");
    expect((await database.prisma.user.findUnique({ where: { clerkUserId } }))?.currentPlan).toBe("pro");
  });

  it("turns events still waiting past the horizon dead, with the dead-event alert, and leaves younger ones waiting", async () => {
    const expired = await deferredSubscriptionEvent(73);
    const young = await deferredSubscriptionEvent(71);
    const invoice = stripeJob(stripeEvent("invoice.paid", invoiceObject({ subscriptionId: uniqueId("sub") })));
    invoice.receivedAt = NOW.getTime() - 100 * HOUR_MS;
    expect((await applyDirectly(invoice)).status).toBe("deferred");

    const { run, lines } = sweep();

    expect(await run).toMatchObject({ expired: 2, released: 0 });
    expect(await status(expired.job.eventId)).toBe("dead");
    expect(await status(invoice.eventId)).toBe("dead");
    expect(await status(young.job.eventId)).toBe("deferred");
    const row = await database.prisma.webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider: "stripe", eventId: expired.job.eventId } } });
    expect(row.lastError).toBe(`waited until the deferral horizon for stripe_customer:${expired.customerId}, which never appeared`);
    expect(lines.filter((line) => line.context.alert === "webhook_event_dead")).toHaveLength(2);
    const dead = (await metrics.dead.get()).values;
    expect(dead.find((v) => v.labels.type === "customer.subscription.created")?.value).toBe(1);
    expect(dead.find((v) => v.labels.type === "invoice.paid")?.value).toBe(1);
  });

  it("releases rather than expires an old event whose key exists", async () => {
    const clerkUserId = uniqueId("user");
    const { job, customerId } = await deferredSubscriptionEvent(100);
    await applyDirectly(stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }))));

    expect(await sweep().run).toMatchObject({ expired: 0, released: 1 });
    await waitFor("the released event applied", async () => (await status(job.eventId)) === "completed");
  });
});
