import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  replayWebhookJob,
  signWebhookJob,
  webhookJobId,
  webhookJobOptions,
  type RetryPolicy,
  type SignatureFailure,
  type WebhookJob,
  type WebhookProducer,
  type WebhookQueues,
} from "@wh/queue";
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
import { recordingLogger, type RecordedLog } from "./schedules/test-support/recording-logger";
import { clerkJob, stripeJob } from "./test-support/apply-job";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "./test-support/test-webhook-workers";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics";

/**
 * Job authentication against real BullMQ workers, Redis and Postgres: whoever can write to Redis
 * must not be able to change a plan.
 */
const RETRY_POLICY: RetryPolicy = { attempts: 3, backoffMs: 50, keepCompletedSeconds: 60, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 };
const KEYS = [TEST_JOB_SIGNING_KEY];

let prisma: PrismaClient;
let system: TestWebhookWorkers;
let queues: WebhookQueues;
let producer: WebhookProducer;
let metrics: WorkerMetrics;
let logLines: RecordedLog[];

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 6 });
  metrics = createWorkerMetrics();
  const recording = recordingLogger();
  logLines = recording.lines;
  system = await startTestWebhookWorkers({
    prisma,
    log: recording.log,
    metrics,
    retryPolicy: RETRY_POLICY,
    settings: { concurrency: 2, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
  ({ queues, producer } = system);
});

afterAll(async () => {
  await system.close();
  await prisma.$disconnect();
});

const ledgerRow = (eventId: string) =>
  prisma.webhookEvent.findUnique({ where: { provider_eventId: { provider: "stripe", eventId } } });

async function applied(job: WebhookJob): Promise<void> {
  await waitFor(`${job.type} applied`, async () => (await ledgerRow(job.eventId))?.status === "completed");
}

async function unauthenticatedCount(reason: SignatureFailure): Promise<number> {
  const { values } = await metrics.unauthenticated.get();
  return values.find((v) => v.labels.queue === queues.stripe.name && v.labels.reason === reason)?.value ?? 0;
}

const planOf = async (clerkUserId: string) => (await prisma.user.findUniqueOrThrow({ where: { clerkUserId } })).currentPlan;

interface Customer {
  clerkUserId: string;
  customerId: string;
  subscriptionId: string;
  /** Stripe `created` of the customer's last event; later events must be later than this. */
  at: number;
}

/** A user on the starter plan, through real deliveries. */
async function starterCustomer(): Promise<Customer> {
  const customer = {
    clerkUserId: uniqueId("user"),
    customerId: uniqueId("cus"),
    subscriptionId: uniqueId("sub"),
    at: Math.floor(Date.now() / 1000) - 600,
  };
  const user = clerkJob(clerkUserEvent("user.created", { id: customer.clerkUserId, email: "signed@example.com" }));
  const checkout = stripeJob(stripeEvent("checkout.session.completed", checkoutSession(customer), { created: customer.at }));
  for (const job of [user, checkout]) await producer.enqueue(job);
  await applied(checkout);
  const created = subscriptionEvent(customer, "starter", "customer.subscription.created");
  await producer.enqueue(created);
  await applied(created);
  expect(await planOf(customer.clerkUserId)).toBe("starter");
  return customer;
}

/** The next subscription event of the customer, one second after the last. */
function subscriptionEvent(customer: Customer, plan: string, type = "customer.subscription.updated"): WebhookJob {
  customer.at += 1;
  const object = subscriptionObject({ id: customer.subscriptionId, customerId: customer.customerId, status: "active", plan });
  return stripeJob(stripeEvent(type, object, { created: customer.at }));
}

/**
 * What someone with write access to Redis (a leaked REDIS_URL, a queue UI) adds: a copy of a real
 * signed job with the plan raised to business, its signature kept (now wrong) or dropped.
 */
function forgedCopy(real: WebhookJob, signature: "kept" | "dropped"): WebhookJob {
  const copy = JSON.parse(JSON.stringify(signWebhookJob(real, KEYS)).replace(/"lookup_key":"\w+"/, '"lookup_key":"business"')) as Record<string, unknown>;
  if (signature === "dropped") delete copy.signature;
  return copy as unknown as WebhookJob;
}

const addStraightToRedis = (jobId: string, data: WebhookJob) => queues.stripe.add(data.type, data, { jobId, attempts: 50 });

async function withStripeQueuePaused(work: () => Promise<void>): Promise<void> {
  await queues.stripe.pause();
  try {
    await work();
  } finally {
    await queues.stripe.resume();
  }
}

it.each([
  ["kept", "bad_signature"],
  ["dropped", "missing_signature"],
] as const)(
  "a copy of a real job with a higher plan (signature %s) changes nothing, leaves no ledger row and is deleted",
  async (signature, reason) => {
    const customer = await starterCustomer();
    const forged = forgedCopy(subscriptionEvent(customer, "starter"), signature);
    const jobId = webhookJobId("stripe", forged.eventId);
    const countBefore = await unauthenticatedCount(reason);
    const logsBefore = logLines.length;

    await addStraightToRedis(jobId, forged);

    await waitFor("the forged job to be refused", async () => (await unauthenticatedCount(reason)) === countBefore + 1);
    await waitFor("the forged job to be deleted", async () => (await queues.stripe.getJob(jobId)) === undefined);
    expect(await planOf(customer.clerkUserId)).toBe("starter");
    expect(await ledgerRow(forged.eventId)).toBeNull();
    expect(await queues.stripe.getFailedCount()).toBe(0);
    // One error line with the job id; nothing of the payload, whose author is the attacker.
    const logged = logLines.slice(logsBefore);
    expect(logged).toEqual([
      { level: "error", message: "unauthenticated job refused and deleted", context: { queue: queues.stripe.name, jobId, reason } },
    ]);
  },
);

it("applies the real delivery whose id a forged job occupied: the producer replaces the forgery", async () => {
  const customer = await starterCustomer();
  const real = subscriptionEvent(customer, "pro");
  const jobId = webhookJobId("stripe", real.eventId);

  await withStripeQueuePaused(async () => {
    await addStraightToRedis(jobId, forgedCopy(real, "kept"));
    expect(await producer.enqueue(real)).toBe("replaced");
  });

  await applied(real);
  expect(await planOf(customer.clerkUserId)).toBe("pro");
  expect(await (await queues.stripe.getJob(jobId))?.getState()).toBe("completed");
});

it("applies a delivery replayed after a forged job took its id: replay replaces the forgery", async () => {
  const customer = await starterCustomer();
  const real = subscriptionEvent(customer, "business");
  const jobId = webhookJobId("stripe", real.eventId);
  const forged = forgedCopy(real, "dropped");
  (forged.payload.data as { object: { status: string } }).object.status = "trialing";

  await withStripeQueuePaused(async () => {
    await addStraightToRedis(jobId, forged);
    const replay = { queues, jobOptions: webhookJobOptions(RETRY_POLICY), signingKeys: KEYS };
    await expect(replayWebhookJob(replay, real)).resolves.toEqual({ outcome: "replaced", jobId });
  });

  await applied(real);
  const subscription = await prisma.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: customer.subscriptionId } });
  expect(subscription.status).toBe("active");
  expect(await planOf(customer.clerkUserId)).toBe("business");
});
