import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { replayJobId, webhookJobId, type WebhookJob, type WebhookProducer, type WebhookQueues } from "@wh/queue";
import { checkoutSession, invoiceObject, stripeEvent, subscriptionObject, testServers, uniqueId, waitFor } from "@wh/testkit";
import { stripeJob } from "../test-support/apply-job";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "../test-support/test-webhook-workers";
import { createWorkerMetrics } from "../worker-metrics";

/**
 * Events that arrive before what they refer to, through real BullMQ workers on real Redis and
 * Postgres. No sweep runs here: whatever re-runs a deferred event is the event that made its key
 * exist.
 */
let prisma: PrismaClient;
let system: TestWebhookWorkers;
let queues: WebhookQueues;
let producer: WebhookProducer;

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 6 });
  system = await startTestWebhookWorkers({
    prisma,
    log: createLogger({ name: "deferred-test", level: "silent" }),
    metrics: createWorkerMetrics(),
    retryPolicy: { attempts: 3, backoffMs: 50, keepCompletedSeconds: 600, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 2, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
  ({ queues, producer } = system);
});

afterAll(async () => {
  await system.close();
  await prisma.$disconnect();
});

const HOUR = 3_600;

const ledgerRow = (eventId: string) =>
  prisma.webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider: "stripe", eventId } } });

/** A delivery our receiver accepted at `receivedAt` (Unix seconds), like the receiver's job. */
function receivedAt(job: WebhookJob, at: number): WebhookJob {
  return { ...job, receivedAt: at * 1000 };
}

async function settledAs(job: WebhookJob, status: string) {
  return waitFor(`${job.type} ${status}`, async () => {
    const row = await ledgerRow(job.eventId).catch(() => undefined);
    return row?.status === status ? row : undefined;
  });
}

/** The BullMQ jobs that ran a delivery: its producer job and each replay job, by id. */
async function jobIdsOf(eventId: string): Promise<string[]> {
  const ids = [webhookJobId("stripe", eventId), replayJobId("stripe", eventId, 1), replayJobId("stripe", eventId, 2)];
  const found = await Promise.all(ids.map(async (id) => ((await queues.stripe.getJob(id)) ? id : undefined)));
  return found.filter((id): id is string => id !== undefined);
}

describe("deferred events", () => {
  it("applies a subscription event that came 3 hours before its checkout, and the invoice paid before the subscription, once each, in order, when their key arrives", async () => {
    const clerkUserId = uniqueId("user");
    const customerId = uniqueId("cus");
    const subscriptionId = uniqueId("sub");
    const t0 = Math.floor(Date.now() / 1000) - 4 * HOUR;
    // No clerk_user_id metadata: only the checkout can say whose customer this is.
    const created = receivedAt(
      stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created: t0 })),
      t0 + 5,
    );
    const paid = receivedAt(stripeJob(stripeEvent("invoice.paid", invoiceObject({ subscriptionId }), { created: t0 + 1 })), t0 + 2);
    const checkout = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: t0 + 3 * HOUR }));

    await producer.enqueue(paid);
    expect(await settledAs(paid, "deferred")).toMatchObject({ waitKey: `stripe_subscription:${subscriptionId}` });
    await producer.enqueue(created);
    expect(await settledAs(created, "deferred")).toMatchObject({ waitKey: `stripe_customer:${customerId}` });
    // Both jobs are done in BullMQ: the ledger holds what waits.
    expect(await (await queues.stripe.getJob(webhookJobId("stripe", paid.eventId)))?.getState()).toBe("completed");
    expect(await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })).toBeNull();

    await producer.enqueue(checkout);

    // The paid invoice of an active subscription changes nothing (apply-invoice-paid.ts), but it
    // ran, after the subscription it waited for.
    const rows = await Promise.all([settledAs(checkout, "completed"), settledAs(created, "completed"), settledAs(paid, "skipped_duplicate")]);
    const processed = rows.map((row) => row.processedAt!.getTime());
    expect([...processed].sort((a, b) => a - b)).toEqual(processed);
    expect(rows.map((row) => row.waitKey)).toEqual([null, null, null]);
    expect(await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })).toMatchObject({
      status: "active",
      lastEventId: created.eventId,
    });
    expect((await prisma.user.findUnique({ where: { clerkUserId } }))?.currentPlan).toBe("pro");
    // Each waiting event ran once more: one replay job, no second one.
    expect(await jobIdsOf(created.eventId)).toEqual([webhookJobId("stripe", created.eventId), replayJobId("stripe", created.eventId, 1)]);
    expect(await jobIdsOf(paid.eventId)).toEqual([webhookJobId("stripe", paid.eventId), replayJobId("stripe", paid.eventId, 1)]);
  });

  it("keeps the placeholder path: a subscription event naming its Clerk user never waits", async () => {
    const clerkUserId = uniqueId("user");
    const job = stripeJob(
      stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "starter", clerkUserId })),
    );
    await producer.enqueue(job);
    await settledAs(job, "completed");
    expect((await prisma.user.findUnique({ where: { clerkUserId } }))?.currentPlan).toBe("starter");
  });

  it("marks a checkout that names no user dead at once, with the reason", async () => {
    const job = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: null, customerId: uniqueId("cus") })));
    await producer.enqueue(job);
    const dead = await settledAs(job, "dead");
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toMatch(/names no Clerk user .*can never be linked/);
  });
});
