import { createPrismaClient, type PrismaClient } from "@wh/db";
import { deleteQueueKeys } from "@wh/queue";
import {
  AppProcess,
  checkoutSession,
  clerkUserEvent,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  TEST_CLERK_SECRET,
  TEST_STRIPE_SECRET,
  testServers,
  uniqueId,
  waitFor,
} from "@wh/testkit";
import { systemEnv } from "./system-env";

/** One webhook from the provider's signature to the row: real receiver and worker processes. */
let prisma: PrismaClient;
let receiver: AppProcess;
let worker: AppProcess;
const env = systemEnv();

beforeAll(async () => {
  // debug: the receiver logs an accepted delivery (with its event id) only at debug level.
  [receiver, worker] = await Promise.all([AppProcess.start("receiver", { ...env, LOG_LEVEL: "debug" }), AppProcess.start("worker", { ...env, LOG_LEVEL: "debug" })]);
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
});

afterAll(async () => {
  await Promise.all([receiver?.stop(), worker?.stop()]);
  await prisma?.$disconnect();
  await deleteQueueKeys(env.REDIS_URL as string, env.QUEUE_PREFIX as string);
});

async function postStripe(event: Record<string, unknown>): Promise<Response> {
  const { body, headers } = signStripe(event, TEST_STRIPE_SECRET);
  return fetch(`${receiver.url}/webhooks/stripe`, { method: "POST", body, headers });
}

async function postClerk(event: Record<string, unknown>, msgId = uniqueId("msg")): Promise<Response> {
  const { body, headers } = signClerk(event, TEST_CLERK_SECRET, { msgId });
  return fetch(`${receiver.url}/webhooks/clerk`, { method: "POST", body, headers });
}

const settled = (eventId: string) =>
  waitFor(`event ${eventId} settled`, async () => {
    const row = await prisma.webhookEvent.findFirst({ where: { eventId } });
    return row && row.status !== "failed" && row.status !== "deferred" ? row : undefined;
  });

it("applies a Clerk signup and a Stripe checkout + subscription lifecycle to Postgres", async () => {
  const clerkUserId = uniqueId("user");
  const customerId = uniqueId("cus");
  const subscriptionId = uniqueId("sub");
  const t0 = Math.floor(Date.now() / 1000) - 120;

  const signupId = uniqueId("msg");
  const signup = await postClerk(clerkUserEvent("user.created", { id: clerkUserId, email: "e2e@example.com" }), signupId);
  expect(signup.status).toBe(200);
  expect(await signup.json()).toEqual({ received: true });
  await settled(signupId);

  const events = [
    stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: t0 }),
    stripeEvent("customer.subscription.created", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created: t0 + 1 }),
    stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "past_due", plan: "pro" }), { created: t0 + 2 }),
  ];
  for (const event of events) {
    expect((await postStripe(event)).status).toBe(200);
    await settled(event.id as string);
  }
  expect(await prisma.user.findUnique({ where: { clerkUserId } })).toMatchObject({
    email: "e2e@example.com",
    stripeCustomerId: customerId,
    currentPlan: "pro",
  });

  const canceled = stripeEvent(
    "customer.subscription.deleted",
    subscriptionObject({ id: subscriptionId, customerId, status: "canceled", plan: "pro" }),
    { created: t0 + 3 },
  );
  expect((await postStripe(canceled)).status).toBe(200);
  expect((await settled(canceled.id as string)).status).toBe("completed");
  expect((await prisma.user.findUnique({ where: { clerkUserId } }))?.currentPlan).toBeNull();
  expect(await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })).toMatchObject({
    status: "canceled",
  });
});

it("turns 20 concurrent deliveries of one event into one ledger row and one effect", async () => {
  const clerkUserId = uniqueId("user");
  const event = stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId: uniqueId("cus") }));
  const responses = await Promise.all(Array.from({ length: 20 }, () => postStripe(event)));
  expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
  await settled(event.id as string);
  const rows = await prisma.webhookEvent.findMany({ where: { eventId: event.id as string } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: "completed", attempts: 1 });
  expect(await prisma.stripeCustomer.count({ where: { user: { clerkUserId } } })).toBe(1);
});

it("logs the provider event id on the receiver and on the worker (both at debug)", async () => {
  const event = stripeEvent("charge.succeeded", { id: uniqueId("ch") });
  expect((await postStripe(event)).status).toBe(200);
  await settled(event.id as string);
  expect(receiver.logs()).toContain(event.id as string);
  await waitFor("worker log line", () => worker.logs().includes(event.id as string));
});

it("records a Stripe event of the other mode as ignored and logs an error about STRIPE_LIVEMODE", async () => {
  const live = stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus") }), { livemode: true });
  expect((await postStripe(live)).status).toBe(200);
  expect((await settled(live.id as string)).status).toBe("ignored");
  await waitFor("other-mode error line", () =>
    worker.logs().split("\n").some((line) => line.includes(live.id as string) && line.includes('"level":50') && line.includes("STRIPE_LIVEMODE")),
  );
  const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(/webhook_events_ignored_total\{provider="stripe",reason="other_stripe_mode"\} [1-9]/);
});

it("serves readiness and metrics on the receiver's ops port only", async () => {
  expect((await fetch(`${receiver.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${receiver.url}/readyz`)).status).toBe(404);
  expect((await fetch(`${receiver.url}/metrics`)).status).toBe(404);
  expect((await fetch(`${receiver.opsUrl}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${receiver.opsUrl}/metrics`)).text()).toContain("webhook_deliveries_total");
});

it("exports a live event's end-to-end latency and the worker's Postgres pool on the worker's /metrics", async () => {
  const sample = async (series: RegExp) => {
    const text = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    return Number(text.split("\n").find((line) => series.test(line))?.split(" ")[1] ?? 0);
  };
  const liveCount = /^webhook_event_end_to_end_seconds_count\{provider="clerk",path="live"\} /;
  const before = await sample(liveCount);

  const msgId = uniqueId("msg");
  expect((await postClerk(clerkUserEvent("user.created", { id: uniqueId("user"), email: "metrics@example.com" }), msgId)).status).toBe(200);
  expect((await settled(msgId)).status).toBe("completed");

  expect(await sample(liveCount)).toBe(before + 1);
  expect(await sample(/^db_pool_acquire_seconds_count\{app="worker"\} /)).toBeGreaterThan(0);
  expect(await sample(/^db_pool_connections\{app="worker",state="idle"\} /)).toBeGreaterThan(0);
});
