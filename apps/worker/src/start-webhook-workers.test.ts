import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { checkJobSignature, webhookJobId, type WebhookProducer, type WebhookQueues } from "@wh/queue";
import {
  checkoutSession,
  clerkUserEvent,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  waitFor,
} from "@wh/testkit";
import { clerkJob, stripeJob } from "./test-support/apply-job";
import { holdDeliveryLock } from "./test-support/hold-delivery-lock";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "./test-support/test-webhook-workers";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics";

/** Real BullMQ workers on real Redis and Postgres; short backoff so retries happen in-test. */
let prisma: PrismaClient;
let system: TestWebhookWorkers;
let queues: WebhookQueues;
let producer: WebhookProducer;
let metrics: WorkerMetrics;

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 6 });
  metrics = createWorkerMetrics();
  system = await startTestWebhookWorkers({
    prisma,
    log: createLogger({ name: "worker-test", level: "silent" }),
    metrics,
    retryPolicy: { attempts: 3, backoffMs: 50, keepCompletedSeconds: 60, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 2, jobTimeoutMs: 2_000, databaseOutagePauseMs: 200 },
  });
  ({ queues, producer } = system);
});

afterAll(async () => {
  await system.close();
  await prisma.$disconnect();
});

const ledgerRow = (provider: "stripe" | "clerk", eventId: string) =>
  prisma.webhookEvent.findUnique({ where: { provider_eventId: { provider, eventId } } });

it("applies queued Clerk and Stripe events and completes their jobs", async () => {
  const clerkUserId = uniqueId("user");
  const customerId = uniqueId("cus");
  const subscriptionId = uniqueId("sub");
  const at = Math.floor(Date.now() / 1000) - 60;
  const jobs = [
    clerkJob(clerkUserEvent("user.created", { id: clerkUserId, email: "queued@example.com" })),
    stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: at })),
  ];
  for (const job of jobs) expect(await producer.enqueue(job)).toBe("enqueued");
  await waitFor("checkout applied", async () => (await ledgerRow("stripe", jobs[1]!.eventId))?.status === "completed");

  const subscription = stripeJob(
    stripeEvent("customer.subscription.created", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "business" }), { created: at + 1 }),
  );
  await producer.enqueue(subscription);
  await waitFor("subscription applied", async () => (await ledgerRow("stripe", subscription.eventId))?.status === "completed");

  expect(await prisma.user.findUnique({ where: { clerkUserId } })).toMatchObject({
    email: "queued@example.com",
    stripeCustomerId: customerId,
    currentPlan: "business",
  });
  const job = await queues.stripe.getJob(webhookJobId("stripe", subscription.eventId));
  expect(await job?.getState()).toBe("completed");
  // A settled Clerk job keeps ids only: the user's email does not linger in Redis.
  const clerkJobInRedis = await queues.clerk.getJob(webhookJobId("clerk", jobs[0]!.eventId));
  expect(JSON.stringify(clerkJobInRedis?.data)).not.toContain("queued@example.com");
  expect(clerkJobInRedis?.data).toMatchObject({ eventId: jobs[0]!.eventId, objectId: clerkUserId });
  // Re-signed as it was stripped: still the delivery's own job, so a re-delivery is a duplicate.
  expect(checkJobSignature(clerkJobInRedis?.data, [TEST_JOB_SIGNING_KEY])).toEqual({ ok: true });
  expect(await producer.enqueue(jobs[0]!)).toBe("duplicate");
});

it("retries an event that keeps failing, records each failure, and ends dead after the last attempt", async () => {
  const job = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus") })));
  const release = await holdDeliveryLock(prisma, job.eventId);
  try {
    await producer.enqueue(job);
    const dead = await waitFor("event dead", async () => {
      const row = await ledgerRow("stripe", job.eventId);
      return row?.status === "dead" ? row : undefined;
    });
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatch(/timeout|expired|Transaction/i);
  } finally {
    await release();
  }
  expect(await (await queues.stripe.getJob(webhookJobId("stripe", job.eventId)))?.getState()).toBe("failed");
  const deadCount = await metrics.dead.get();
  expect(deadCount.values.find((v) => v.labels.provider === "stripe")?.value).toBeGreaterThanOrEqual(1);
});

it("marks poison at once as dead, without using up the retries", async () => {
  const job = stripeJob(stripeEvent("customer.subscription.updated", { id: uniqueId("sub"), status: "active" }));
  await producer.enqueue(job);
  const dead = await waitFor("poison dead", async () => {
    const row = await ledgerRow("stripe", job.eventId);
    return row?.status === "dead" ? row : undefined;
  });
  expect(dead.attempts).toBe(1);
  expect(dead.lastError).toMatch(/poison subscription/);
});

it("runs a dead event again when the provider re-delivers it, once what failed it is gone", async () => {
  const clerkUserId = uniqueId("user");
  const customerId = uniqueId("cus");
  const job = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId })));
  const release = await holdDeliveryLock(prisma, job.eventId);
  try {
    await producer.enqueue(job);
    await waitFor("event dead", async () => (await ledgerRow("stripe", job.eventId))?.status === "dead");
  } finally {
    await release();
  }

  expect(await producer.enqueue(job)).toBe("retried");
  await waitFor("re-delivered event applied", async () => (await ledgerRow("stripe", job.eventId))?.status === "completed");
  expect((await prisma.user.findUnique({ where: { clerkUserId } }))?.stripeCustomerId).toBe(customerId);
});

it("counts other-mode Stripe events as ignored by reason", async () => {
  const job = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus") }), { livemode: true }));
  await producer.enqueue(job);
  await waitFor("live event ignored", async () => (await ledgerRow("stripe", job.eventId))?.status === "ignored");
  const ignored = await metrics.ignored.get();
  expect(ignored.values).toContainEqual(expect.objectContaining({ labels: { provider: "stripe", reason: "other_stripe_mode" }, value: 1 }));
});
