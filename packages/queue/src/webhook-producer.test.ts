import { RedisServerProcess, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { DEFAULT_RETRY_POLICY, webhookJobOptions } from "./job-options";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { createProducerConnection, createWorkerConnection } from "./redis-connection";
import { webhookJobId, type WebhookJob, type WebhookProvider } from "./webhook-job";
import { QueueUnavailableError, WebhookProducer } from "./webhook-producer";
import { closeWebhookQueues, createWebhookQueues, type WebhookQueues } from "./webhook-queues";

const TIMEOUT_MS = 1_000;
const ALL_STATES = ["wait", "active", "delayed", "prioritized", "waiting-children", "paused", "completed", "failed"] as const;

function stripeJob(eventId = uniqueId("evt")): WebhookJob {
  return {
    provider: "stripe",
    eventId,
    type: "customer.subscription.updated",
    objectId: uniqueId("sub"),
    eventCreatedAt: 1_767_225_600_000,
    receivedAt: Date.now(),
    payload: { id: eventId, type: "customer.subscription.updated" },
  };
}

function clerkJob(eventId = uniqueId("msg")): WebhookJob {
  return {
    provider: "clerk",
    eventId,
    type: "user.created",
    objectId: uniqueId("user"),
    eventCreatedAt: 1_767_225_600_123,
    receivedAt: Date.now(),
    payload: { type: "user.created", data: {} },
  };
}

async function totalJobs(queues: WebhookQueues, provider: WebhookProvider): Promise<number> {
  const counts = await queues[provider].getJobCounts(...ALL_STATES);
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Queues on a prefix of their own; removes every key under it afterwards. */
async function openQueues(connection: Redis): Promise<WebhookQueues> {
  const queues = createWebhookQueues(connection, uniqueQueuePrefix());
  for (const queue of Object.values(queues)) queue.on("error", () => undefined);
  return queues;
}

async function dropQueues(queues: WebhookQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(queues);
}

describe("webhookJobId", () => {
  it("prefixes the delivery id with the provider", () => {
    expect(webhookJobId("stripe", "evt_1AbC")).toBe("stripe_evt_1AbC");
    expect(webhookJobId("clerk", "msg_2xYz")).toBe("clerk_msg_2xYz");
  });

  it("rejects ids BullMQ cannot store", () => {
    expect(() => webhookJobId("stripe", "evt_1:2")).toThrow(/not allowed/);
    expect(() => webhookJobId("clerk", "msg:abc")).toThrow(/not allowed/);
    expect(() => webhookJobId("stripe", "")).toThrow(/not allowed/);
  });
});

describe("WebhookProducer against Redis", () => {
  let connection: Redis;
  let queues: WebhookQueues;
  let producer: WebhookProducer;

  beforeAll(() => {
    connection = createProducerConnection(testServers().redisUrl);
  });

  afterAll(async () => {
    await connection.quit();
  });

  beforeEach(async () => {
    queues = await openQueues(connection);
    producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS });
  });

  afterEach(async () => {
    await dropQueues(queues);
  });

  it("enqueues a new Stripe delivery under stripe_<event id> with the default retry options", async () => {
    const job = stripeJob();

    await expect(producer.enqueue(job)).resolves.toBe("enqueued");

    const stored = await queues.stripe.getJob(`stripe_${job.eventId}`);
    expect(stored).toBeDefined();
    expect(stored!.name).toBe(job.type);
    expect(stored!.data).toEqual(job);
    expect(await stored!.getState()).toBe("waiting");
    expect(stored!.opts).toMatchObject({
      attempts: DEFAULT_RETRY_POLICY.attempts,
      backoff: { type: "exponential", delay: DEFAULT_RETRY_POLICY.backoffMs, jitter: expect.any(Number) },
    });
    expect((stored!.opts.backoff as { jitter: number }).jitter).toBeGreaterThan(0);
    expect(stored!.opts.attempts).toBeGreaterThan(1);
    expect(await totalJobs(queues, "stripe")).toBe(1);
    expect(await totalJobs(queues, "clerk")).toBe(0);
  });

  it("enqueues a new Clerk delivery under clerk_<svix id> on the Clerk queue", async () => {
    const job = clerkJob();

    await expect(producer.enqueue(job)).resolves.toBe("enqueued");

    expect(queues.clerk.name).toBe(WEBHOOK_QUEUE_NAMES.clerk);
    const stored = await queues.clerk.getJob(`clerk_${job.eventId}`);
    expect(stored?.data).toEqual(job);
    expect(stored?.opts.attempts).toBe(DEFAULT_RETRY_POLICY.attempts);
    expect(await totalJobs(queues, "clerk")).toBe(1);
    expect(await totalJobs(queues, "stripe")).toBe(0);
  });

  it("answers duplicate for the same delivery again and keeps one job", async () => {
    const job = stripeJob();
    await producer.enqueue(job);

    await expect(producer.enqueue({ ...job, receivedAt: job.receivedAt + 1 })).resolves.toBe("duplicate");

    expect(await totalJobs(queues, "stripe")).toBe(1);
    expect((await queues.stripe.getJob(`stripe_${job.eventId}`))?.data.receivedAt).toBe(job.receivedAt);
  });

  it("keeps exactly one job when the same delivery is enqueued 20 times concurrently", async () => {
    const job = clerkJob();

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => producer.enqueue(job)));

    for (const outcome of outcomes) expect(["enqueued", "duplicate"]).toContain(outcome);
    expect(outcomes).toContain("enqueued");
    expect(await totalJobs(queues, "clerk")).toBe(1);
    expect(await queues.clerk.getJob(`clerk_${job.eventId}`)).toBeDefined();
  });

  it("retries a failed job on re-delivery: back in wait with attempts reset", async () => {
    const job = stripeJob();
    const jobId = `stripe_${job.eventId}`;
    await producer.enqueue(job);

    const workerConnection = createWorkerConnection(testServers().redisUrl);
    const worker = new Worker(
      WEBHOOK_QUEUE_NAMES.stripe,
      async () => {
        throw new UnrecoverableError("poison input");
      },
      { connection: workerConnection, prefix: queues.stripe.opts.prefix },
    );
    try {
      await waitFor("job to fail", async () => (await queues.stripe.getJobState(jobId)) === "failed");
    } finally {
      await worker.close();
      await workerConnection.quit();
    }
    const failed = await queues.stripe.getJob(jobId);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toBe("poison input");

    await expect(producer.enqueue(job)).resolves.toBe("retried");

    const retried = await queues.stripe.getJob(jobId);
    expect(await retried!.getState()).toBe("waiting");
    expect(retried!.attemptsMade).toBe(0);
    expect(retried!.attemptsStarted).toBe(0);
    expect(await totalJobs(queues, "stripe")).toBe(1);

    // A further re-delivery while it waits again is a duplicate.
    await expect(producer.enqueue(job)).resolves.toBe("duplicate");
  });

  it("does not add a job for an event id BullMQ cannot store", async () => {
    const refused = producer.enqueue(stripeJob("evt_bad:id"));
    await expect(refused).rejects.toThrow(/not allowed/);
    await expect(refused).rejects.not.toBeInstanceOf(QueueUnavailableError);

    expect(await totalJobs(queues, "stripe")).toBe(0);
  });
});

describe("WebhookProducer when Redis is unreachable", () => {
  let server: RedisServerProcess;
  let connection: Redis;
  let queues: WebhookQueues;

  beforeAll(async () => {
    server = await RedisServerProcess.start();
    connection = createProducerConnection(server.url);
    connection.on("error", () => undefined);
    queues = await openQueues(connection);
  });

  afterAll(async () => {
    await closeWebhookQueues(queues);
    connection.disconnect();
    await server.destroy();
  });

  it("rejects with QueueUnavailableError while Redis is down and works again after it is back", async () => {
    const producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS });
    const before = stripeJob();
    await expect(producer.enqueue(before)).resolves.toBe("enqueued");

    await server.stop();

    const during = stripeJob();
    await expect(producer.enqueue(during)).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(producer.enqueue(clerkJob())).rejects.toBeInstanceOf(QueueUnavailableError);

    await server.resume();
    await waitFor("producer connection to reconnect", () => connection.status === "ready");

    await expect(producer.enqueue(during)).resolves.toBe("enqueued");
    // A graceful restart (AOF flushed on SHUTDOWN) lost nothing that was acknowledged before it.
    expect(await queues.stripe.getJob(`stripe_${before.eventId}`)).toBeDefined();
    expect(await totalJobs(queues, "stripe")).toBe(2);
  });

  it("rejects with QueueUnavailableError when Redis does not answer in time", async () => {
    const producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS });
    const admin = createWorkerConnection(server.url);
    const job = stripeJob();
    try {
      // Redis stays connected and answers reads, but holds every write until unpaused.
      await admin.call("CLIENT", "PAUSE", String(TIMEOUT_MS * 30), "WRITE");
      await expect(producer.enqueue(job)).rejects.toBeInstanceOf(QueueUnavailableError);
    } finally {
      await admin.call("CLIENT", "UNPAUSE");
      await admin.quit();
    }
    // The timed-out enqueue was not cancelled: it lands once Redis answers, and the provider's
    // retry of the 503 then finds it as a duplicate.
    await waitFor("late enqueue to land", async () => (await queues.stripe.getJob(`stripe_${job.eventId}`)) !== undefined);
    await expect(producer.enqueue(job)).resolves.toBe("duplicate");
  });
});
