import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  createWebhookQueues,
  createWorkerConnection,
  replayJobId,
  replayWebhookJob,
  signWebhookJob,
  WEBHOOK_QUEUE_NAMES,
  webhookJobId,
  webhookJobOptions,
  type ReplayWebhookJobOptions,
  type RetryPolicy,
  type WebhookJob,
} from "@wh/queue";
import {
  checkoutSession,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
  waitFor,
} from "@wh/testkit";
import { Worker } from "bullmq";
import { stripeJob } from "./test-support/apply-job";
import { holdDeliveryLock } from "./test-support/hold-delivery-lock";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "./test-support/test-webhook-workers";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics";

/**
 * The worker's own metrics, read from its registry after real jobs on real Redis and Postgres:
 * the end-to-end latency of each path an event can take, and stalled jobs.
 */
const RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  backoffMs: 50,
  keepCompletedSeconds: 600,
  keepFailedSeconds: 600,
  keepCompletedCount: 1_000,
  keepFailedCount: 1_000,
};
const SETTINGS = { concurrency: 2, jobTimeoutMs: 3_000, databaseOutagePauseMs: 200 };
const HOUR = 3_600;

let prisma: PrismaClient;

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 8 });
  // Connected before the first job: its first attempt must not spend its budget on connecting.
  await prisma.$queryRaw`SELECT 1`;
});

afterAll(async () => {
  await prisma.$disconnect();
});

const ledgerStatus = async (eventId: string) =>
  (await prisma.webhookEvent.findUnique({ where: { provider_eventId: { provider: "stripe", eventId } } }))?.status;

/** A delivery our receiver accepted `secondsAgo` ago. */
function acceptedAgo(job: WebhookJob, secondsAgo: number): WebhookJob {
  return { ...job, receivedAt: Date.now() - secondsAgo * 1000 };
}

/** A checkout that links a new customer to a new user: applies at once. */
const checkout = (): WebhookJob =>
  stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus") })));

/** One series of the histogram, as Prometheus scrapes it. */
async function endToEnd(metrics: WorkerMetrics, path: string) {
  const text = await metrics.registry.getSingleMetricAsString("webhook_event_end_to_end_seconds");
  const sample = (suffix: string, extra = "") => {
    const line = text.split("\n").find((candidate) => candidate.startsWith(`webhook_event_end_to_end_seconds_${suffix}{${extra}provider="stripe",path="${path}"}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
  };
  return { count: sample("count"), sum: sample("sum"), within60s: sample("bucket", 'le="60",') };
}

describe("webhook_event_end_to_end_seconds", () => {
  let metrics: WorkerMetrics;
  let system: TestWebhookWorkers;
  let replay: ReplayWebhookJobOptions;

  beforeAll(async () => {
    metrics = createWorkerMetrics();
    system = await startTestWebhookWorkers({
      prisma,
      log: createLogger({ name: "worker-metrics-test", level: "silent" }),
      metrics,
      retryPolicy: RETRY_POLICY,
      settings: SETTINGS,
    });
    replay = { queues: system.queues, jobOptions: webhookJobOptions(RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] };
  });

  afterAll(async () => {
    await system.close();
  });

  /** Runs `scenario`, then waits until `path` counted `events` more, and returns what it added. */
  async function added(path: string, events: number, scenario: () => Promise<void>) {
    const before = { live: await endToEnd(metrics, "live"), [path]: await endToEnd(metrics, path) };
    await scenario();
    const after = await waitFor(`${events} ${path} event(s) observed`, async () => {
      const now = await endToEnd(metrics, path);
      return now.count >= before[path]!.count + events && now;
    });
    return {
      count: after.count - before[path]!.count,
      sum: after.sum - before[path]!.sum,
      within60s: after.within60s - before[path]!.within60s,
      live: path === "live" ? 0 : (await endToEnd(metrics, "live")).count - before.live.count,
    };
  }

  it("observes a first attempt as live, from the receiver's acceptance to the commit", async () => {
    const job = acceptedAgo(checkout(), 120);
    const observed = await added("live", 1, async () => {
      await system.producer.enqueue(job);
    });
    expect(await ledgerStatus(job.eventId)).toBe("completed");
    // Two minutes in the queue are counted: the clock starts at acceptance, not when a worker takes it.
    expect(observed).toMatchObject({ count: 1, within60s: 0 });
    expect(observed.sum).toBeGreaterThanOrEqual(120);
  });

  it("observes an event applied on its second attempt as retry, not live", async () => {
    const job = checkout();
    const release = await holdDeliveryLock(prisma, job.eventId);
    const observed = await added("retry", 1, async () => {
      try {
        await system.producer.enqueue(job);
        await waitFor("first attempt failed", async () => (await ledgerStatus(job.eventId)) === "failed");
      } finally {
        await release();
      }
    });
    expect(await ledgerStatus(job.eventId)).toBe("completed");
    expect(observed).toMatchObject({ count: 1, live: 0 });
  });

  it("observes a dead event whose failed job a replay retried (attempts reset) as replay", async () => {
    const job = checkout();
    const release = await holdDeliveryLock(prisma, job.eventId);
    try {
      await system.producer.enqueue(job);
      await waitFor("event dead", async () => (await ledgerStatus(job.eventId)) === "dead");
    } finally {
      await release();
    }
    const observed = await added("replay", 1, async () => {
      expect(await replayWebhookJob(replay, job)).toEqual({ outcome: "retried", jobId: webhookJobId("stripe", job.eventId) });
    });
    expect(await ledgerStatus(job.eventId)).toBe("completed");
    expect(observed).toMatchObject({ count: 1, live: 0 });
  });

  it("observes an event without a ledger row added again as a replay job (reconciliation of a lost job) as replay", async () => {
    const job = acceptedAgo(checkout(), HOUR);
    const observed = await added("replay", 1, async () => {
      expect(await replayWebhookJob(replay, job)).toEqual({ outcome: "re-added", jobId: replayJobId("stripe", job.eventId, 1) });
    });
    expect(await ledgerStatus(job.eventId)).toBe("completed");
    expect(observed).toMatchObject({ count: 1, within60s: 0, live: 0 });
    expect(observed.sum).toBeGreaterThanOrEqual(HOUR);
  });

  it("observes a deferred event once, when it finally runs, as deferred; its deferral is not observed", async () => {
    const customerId = uniqueId("cus");
    const t0 = Math.floor(Date.now() / 1000) - 4 * HOUR;
    const created = acceptedAgo(
      stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" }), { created: t0 })),
      4 * HOUR,
    );
    const linking = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId })));

    const liveBefore = await endToEnd(metrics, "live");
    await system.producer.enqueue(created);
    // Completed in BullMQ only after the processor returned, so after anything it observed.
    await waitFor("deferring job completed", async () => (await system.queues.stripe.getJobState(webhookJobId("stripe", created.eventId))) === "completed");
    expect(await ledgerStatus(created.eventId)).toBe("deferred");
    expect(await endToEnd(metrics, "live")).toEqual(liveBefore);
    const observed = await added("deferred", 1, async () => {
      await system.producer.enqueue(linking);
    });
    expect(await ledgerStatus(created.eventId)).toBe("completed");
    expect(observed).toMatchObject({ count: 1, within60s: 0 });
    expect(observed.sum).toBeGreaterThanOrEqual(4 * HOUR);
    // The checkout that released it is the only live event of the two.
    await waitFor("checkout observed", async () => (await endToEnd(metrics, "live")).count === liveBefore.count + 1);
    expect(await (await system.queues.stripe.getJob(replayJobId("stripe", created.eventId, 1)))?.getState()).toBe("completed");
  });
});

describe("webhook_jobs_stalled_total", () => {
  it("counts a job whose worker stopped renewing its lock, which then runs again", async () => {
    const prefix = uniqueQueuePrefix();
    const connection = createWorkerConnection(testServers().redisUrl);
    const queues = createWebhookQueues(connection, prefix);
    const job = checkout();
    // A worker that takes the job and hangs, then goes away without releasing it (a killed process).
    const hung = new Worker(WEBHOOK_QUEUE_NAMES.stripe, () => new Promise<never>(() => undefined), {
      connection,
      prefix,
      lockDuration: 500,
      // Its own check would block every other worker's for its interval (BullMQ's stalled-check key).
      skipStalledCheck: true,
    });
    let system: TestWebhookWorkers | undefined;
    try {
      await queues.stripe.add(job.type, signWebhookJob(job, [TEST_JOB_SIGNING_KEY]), { jobId: webhookJobId("stripe", job.eventId) });
      await waitFor("job taken by the hung worker", async () => (await queues.stripe.getJobState(webhookJobId("stripe", job.eventId))) === "active");
      await hung.close(true);

      const metrics = createWorkerMetrics();
      system = await startTestWebhookWorkers({
        prisma,
        log: createLogger({ name: "worker-metrics-test", level: "silent" }),
        metrics,
        retryPolicy: RETRY_POLICY,
        settings: { ...SETTINGS, stalledIntervalMs: 200 },
        queuePrefix: prefix,
      });
      await waitFor("stalled job applied", async () => (await ledgerStatus(job.eventId)) === "completed");
      const text = await metrics.registry.getSingleMetricAsString("webhook_jobs_stalled_total");
      expect(text).toContain(`webhook_jobs_stalled_total{queue="${WEBHOOK_QUEUE_NAMES.stripe}"} 1`);
      expect(text).not.toContain(`queue="${WEBHOOK_QUEUE_NAMES.clerk}"`);
    } finally {
      await system?.close();
      await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true }).then(() => queue.close())));
      connection.disconnect();
    }
  });
});
