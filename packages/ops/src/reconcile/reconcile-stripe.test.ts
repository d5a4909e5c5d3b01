import { createPrismaClient, type EventStatus, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  checkJobSignature,
  DEFAULT_RETRY_POLICY,
  replayJobId,
  type ReplayWebhookJobOptions,
  webhookJobId,
  webhookJobOptions,
  type WebhookQueues,
} from "@wh/queue";
import {
  invoiceObject,
  startFakeStripeApi,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  type FakeStripeApi,
} from "@wh/testkit";
import { reconcileStripe, type ReconciledStripeEvent, type StripeReconcileOptions } from "./reconcile-stripe";
import { createStripeEventsClient } from "./stripe-events-client";
import { openOwnTestQueues, type OwnTestQueues } from "./test-support/own-test-queues";

/**
 * Reconciliation against a fake Stripe API the test starts, the shared test Postgres (rows of
 * unique ids) and Redis (queues under a prefix of their own).
 */
let prisma: PrismaClient;
let own: OwnTestQueues;
let queues: WebhookQueues;
let queue: ReplayWebhookJobOptions;
let stripeApi: FakeStripeApi;

const now = Math.floor(Date.now() / 1000);
const window = { since: new Date((now - 3_600) * 1000), until: new Date(now * 1000) };
const LEGACY_API_VERSION = "2024-06-20";

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
});
afterAll(async () => {
  await prisma.$disconnect();
});

beforeEach(async () => {
  own = await openOwnTestQueues();
  queues = own.queues;
  queue = { queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] };
  stripeApi = await startFakeStripeApi();
});
afterEach(async () => {
  await stripeApi.close();
  await own.close();
});

function subscriptionCreated(created: number, shape: "basil" | "legacy") {
  const object = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), clerkUserId: uniqueId("user"), status: "active", plan: "pro", shape });
  const event = stripeEvent("customer.subscription.created", object, { created });
  return shape === "legacy" ? { ...event, api_version: LEGACY_API_VERSION } : event;
}

async function recordInLedger(event: Record<string, unknown>, status: EventStatus): Promise<void> {
  await prisma.webhookEvent.create({
    data: {
      provider: "stripe",
      eventId: event.id as string,
      type: event.type as string,
      status,
      objectId: (event.data as { object: { id: string } }).object.id,
      eventCreatedAt: new Date((event.created as number) * 1000),
      receivedAt: new Date(),
      payload: event as object,
    },
  });
}

async function run(overrides: Partial<StripeReconcileOptions> = {}) {
  const seen: ReconciledStripeEvent[] = [];
  const summary = await reconcileStripe({
    stripe: createStripeEventsClient({ apiKey: "sk_test_reconcile", apiUrl: stripeApi.url }),
    prisma,
    queue,
    window,
    execute: true,
    pageSize: 2,
    onEvent: (event) => seen.push(event),
    ...overrides,
  });
  return { summary, seen };
}

async function jobCount(): Promise<number> {
  const counts = await Promise.all(allWebhookQueues(queues).map((each) => each.getJobCountByTypes("waiting", "delayed", "active", "completed", "failed", "prioritized")));
  return counts.reduce((sum, count) => sum + count, 0);
}

describe("reconcileStripe", () => {
  it("queues a signed job for each event the ledger never saw, and nothing for a completed one, across pages", async () => {
    const missing = [subscriptionCreated(now - 100, "basil"), subscriptionCreated(now - 200, "basil"), subscriptionCreated(now - 300, "basil")];
    const completed = subscriptionCreated(now - 150, "basil");
    await recordInLedger(completed, "completed");
    stripeApi.events.push(...missing, completed);

    const { summary, seen } = await run();

    expect(summary).toEqual({ checked: 4, missing: 3, unsettled: 0, enqueued: 3, alreadyQueued: 0, skipped: 0, errors: 0 });
    expect(seen.map((event) => event.eventId).sort()).toEqual(missing.map((event) => event.id as string).sort());
    for (const event of missing) {
      const job = await queues.stripe.getJob(replayJobId("stripe", event.id as string, 1));
      expect(job?.data).toMatchObject({ provider: "stripe", eventId: event.id, type: "customer.subscription.created", eventCreatedAt: (event.created as number) * 1000 });
      expect(checkJobSignature(job!.data, [TEST_JOB_SIGNING_KEY]).ok).toBe(true);
    }
    expect(await queues.stripe.getJob(replayJobId("stripe", completed.id as string, 1))).toBeUndefined();
    expect(await queues.stripe.getJob(webhookJobId("stripe", completed.id as string))).toBeUndefined();
    // Three pages of two; the window went to Stripe as created[gte]/[lte], never a delivery_success filter.
    const listed = stripeApi.requests.filter((url) => url.pathname === "/v1/events");
    expect(listed).toHaveLength(2);
    expect(listed.map((url) => url.searchParams.get("starting_after"))).toEqual([null, expect.stringMatching(/^evt_/)]);
    for (const url of listed) {
      expect(url.searchParams.get("created[gte]")).toBe(String(now - 3_600));
      expect(url.searchParams.get("created[lte]")).toBe(String(now));
      expect(url.searchParams.has("delivery_success")).toBe(false);
    }
  });

  it("leaves out events created outside the window", async () => {
    const before = subscriptionCreated(now - 7_200, "basil");
    const inside = subscriptionCreated(now - 60, "basil");
    stripeApi.events.push(before, inside);

    const { summary, seen } = await run();

    expect(summary.checked).toBe(1);
    expect(seen.map((event) => event.eventId)).toEqual([inside.id]);
  });

  it("skips a deferred row, and replays a dead one through the planner (a forged job on its id is replaced)", async () => {
    const deferred = subscriptionCreated(now - 100, "basil");
    const dead = subscriptionCreated(now - 200, "basil");
    await recordInLedger(deferred, "deferred");
    await recordInLedger(dead, "dead");
    // A job without a valid signature holds the dead event's id: a plain add would be a no-op.
    await queues.stripe.add("customer.subscription.created", { forged: true } as never, { jobId: webhookJobId("stripe", dead.id as string) });
    stripeApi.events.push(deferred, dead);

    const { summary, seen } = await run();

    expect(summary).toMatchObject({ checked: 2, missing: 0, unsettled: 1, enqueued: 1, skipped: 1, errors: 0 });
    expect(seen.map((event) => [event.eventId, event.found, event.result.outcome])).toEqual(
      expect.arrayContaining([
        [deferred.id, "deferred", "deferred"],
        [dead.id, "unsettled", "replaced"],
      ]),
    );
    const replaced = await queues.stripe.getJob(webhookJobId("stripe", dead.id as string));
    expect(checkJobSignature(replaced!.data, [TEST_JOB_SIGNING_KEY]).ok).toBe(true);
    expect(await queues.stripe.getJob(webhookJobId("stripe", deferred.id as string))).toBeUndefined();
  });

  it("plans only in a dry run: nothing reaches Redis", async () => {
    stripeApi.events.push(subscriptionCreated(now - 100, "basil"), subscriptionCreated(now - 200, "legacy"));

    const { summary, seen } = await run({ execute: false });

    expect(summary).toMatchObject({ checked: 2, missing: 2, enqueued: 2 });
    expect(seen.map((event) => event.result.outcome)).toEqual(["re-added", "re-added"]);
    expect(await jobCount()).toBe(0);
  });

  it("keeps each event's own API version: both invoice and subscription shapes reach the job", async () => {
    const subscriptionId = uniqueId("sub");
    const legacySubscription = subscriptionCreated(now - 400, "legacy");
    const basilSubscription = subscriptionCreated(now - 300, "basil");
    const legacyInvoice = { ...stripeEvent("invoice.paid", invoiceObject({ subscriptionId, shape: "legacy" }), { created: now - 200 }), api_version: LEGACY_API_VERSION };
    const basilInvoice = stripeEvent("invoice.paid", invoiceObject({ subscriptionId, shape: "basil" }), { created: now - 100 });
    stripeApi.events.push(legacySubscription, basilSubscription, legacyInvoice, basilInvoice);

    const { seen } = await run();

    expect(seen.map((event) => event.apiVersion).sort()).toEqual([LEGACY_API_VERSION, LEGACY_API_VERSION, "2025-03-31.basil", "2025-03-31.basil"]);
    const payload = async (event: Record<string, unknown>) =>
      (await queues.stripe.getJob(replayJobId("stripe", event.id as string, 1)))!.data.payload as { data: { object: Record<string, unknown> } };
    expect((await payload(legacyInvoice)).data.object).toMatchObject({ subscription: subscriptionId });
    expect((await payload(basilInvoice)).data.object).toMatchObject({ parent: { subscription_details: { subscription: subscriptionId } } });
    const legacyPeriod = (await payload(legacySubscription)).data.object;
    expect(legacyPeriod).toMatchObject({ current_period_end: expect.any(Number) });
    const basilItems = (await payload(basilSubscription)).data.object.items as { data: Record<string, unknown>[] };
    expect(basilItems.data[0]).toMatchObject({ current_period_end: expect.any(Number) });
  });

  it("waits out a 429 as Retry-After asks, then goes on", async () => {
    stripeApi.events.push(subscriptionCreated(now - 100, "basil"));
    stripeApi.rateLimitNext(2);
    const waits: number[] = [];

    const { summary } = await run({
      backoff: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 60_000, sleep: async (ms) => void waits.push(ms) },
    });

    expect(waits).toEqual([1_000, 1_000]);
    expect(summary).toMatchObject({ checked: 1, enqueued: 1 });
  });

  it("gives up after its retries, with Stripe's rate-limit error", async () => {
    stripeApi.rateLimitNext(10);

    await expect(run({ backoff: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 60_000, sleep: async () => undefined } })).rejects.toThrow(/Too many requests/);
    expect(stripeApi.requests).toHaveLength(3);
  });
});
