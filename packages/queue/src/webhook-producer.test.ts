import {
  RedisServerProcess,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  TEST_JOB_SIGNING_KEY_NEXT,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
  waitFor,
} from "@wh/testkit";
import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { DEFAULT_RETRY_POLICY, webhookJobOptions } from "./job-options";
import { checkJobSignature, signWebhookJob } from "./job-signature";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { createProducerConnection, createWorkerConnection, type RedisConnection } from "./redis-connection";
import { webhookJobId, type WebhookJob, type WebhookProvider } from "./webhook-job";
import { QueueUnavailableError, WebhookProducer, type WebhookProducerOptions } from "./webhook-producer";
import { allWebhookQueues, closeWebhookQueues, createWebhookQueues, type WebhookQueues } from "./webhook-queues";

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
async function openQueues(connection: RedisConnection): Promise<WebhookQueues> {
  const queues = createWebhookQueues(connection, uniqueQueuePrefix());
  for (const queue of allWebhookQueues(queues)) queue.on("error", () => undefined);
  return queues;
}

async function dropQueues(queues: WebhookQueues): Promise<void> {
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
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
  let connection: RedisConnection;
  let queues: WebhookQueues;
  let producer: WebhookProducer;
  let producerOptions: WebhookProducerOptions;

  beforeAll(() => {
    connection = createProducerConnection(testServers().redisUrl);
  });

  afterAll(async () => {
    await connection.quit();
  });

  beforeEach(async () => {
    queues = await openQueues(connection);
    producerOptions = { queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS, signingKeys: [TEST_JOB_SIGNING_KEY] };
    producer = new WebhookProducer(producerOptions);
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
    expect(stored!.data).toEqual(signWebhookJob(job, [TEST_JOB_SIGNING_KEY]));
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
    expect(stored?.data).toEqual(signWebhookJob(job, [TEST_JOB_SIGNING_KEY]));
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

  it("costs one Redis exchange (one socket write) for a new delivery and one for a duplicate", async () => {
    await producer.enqueue(stripeJob()); // connection ready and BullMQ's scripts known to Redis
    const writes = jest.spyOn((connection as Redis).stream, "write");
    try {
      const job = stripeJob();

      await expect(producer.enqueue(job)).resolves.toBe("enqueued");
      expect(writes).toHaveBeenCalledTimes(1);

      writes.mockClear();
      await expect(producer.enqueue(job)).resolves.toBe("duplicate");
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }
    expect(await totalJobs(queues, "stripe")).toBe(2);
  });

  it("sends the deliveries of one event-loop turn in one socket write (auto-pipelining)", async () => {
    await producer.enqueue(stripeJob());
    const writes = jest.spyOn((connection as Redis).stream, "write");
    try {
      const jobs = Array.from({ length: 10 }, () => stripeJob());
      await expect(Promise.all(jobs.map((job) => producer.enqueue(job)))).resolves.toEqual(jobs.map(() => "enqueued"));
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }
    expect(await totalJobs(queues, "stripe")).toBe(11);
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

  describe("when a job that fails verification holds the delivery's id", () => {
    const KEYS = [TEST_JOB_SIGNING_KEY];

    /** A real subscription delivery on the starter plan. */
    function starterDelivery(): WebhookJob {
      const subscription = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "starter" });
      const event = stripeEvent("customer.subscription.updated", subscription);
      return { ...stripeJob(event.id as string), objectId: subscription.id as string, payload: event };
    }

    /** What someone with write access to Redis adds: the real job's data with a higher plan. */
    function forgedCopy(job: WebhookJob, signature: "kept" | "dropped"): Record<string, unknown> {
      const copy = JSON.parse(JSON.stringify(signWebhookJob(job, KEYS)).replace('"lookup_key":"starter"', '"lookup_key":"business"')) as Record<string, unknown>;
      if (signature === "dropped") delete copy.signature;
      return copy;
    }

    const addStraightToRedis = (job: WebhookJob, data: Record<string, unknown>) =>
      queues.stripe.add(job.type, data as WebhookJob, { jobId: webhookJobId("stripe", job.eventId), attempts: 50 });

    /**
     * A worker that holds each job until `release`, then, as the real worker does, refuses and
     * deletes a job that fails verification (and completes the others).
     */
    function refusingWorker(): { release: () => void; close: () => Promise<void> } {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const connection = createWorkerConnection(testServers().redisUrl);
      const worker = new Worker(
        WEBHOOK_QUEUE_NAMES.stripe,
        async (job) => {
          await gate;
          if (checkJobSignature(job.data, KEYS).ok) return;
          job.opts.removeOnFail = true;
          throw new UnrecoverableError("unauthenticated job: bad_signature");
        },
        { connection, prefix: queues.stripe.opts.prefix },
      );
      return {
        release,
        close: async () => {
          await worker.close();
          await connection.quit();
        },
      };
    }

    it.each(["kept", "dropped"] as const)("replaces a waiting copy with a higher plan (signature %s) by the signed delivery", async (signature) => {
      const job = starterDelivery();
      await addStraightToRedis(job, forgedCopy(job, signature));

      await expect(producer.enqueue(job)).resolves.toBe("replaced");

      const stored = await queues.stripe.getJob(webhookJobId("stripe", job.eventId));
      expect(stored!.data).toEqual(signWebhookJob(job, KEYS));
      expect(JSON.stringify(stored!.data)).not.toContain("business");
      expect(stored!.opts.attempts).toBe(DEFAULT_RETRY_POLICY.attempts);
      expect(await stored!.getState()).toBe("waiting");
      expect(await totalJobs(queues, "stripe")).toBe(1);
      // The replacement is the delivery's job: the next re-delivery is a duplicate of it.
      await expect(producer.enqueue(job)).resolves.toBe("duplicate");
    });

    it("replaces a forged job in the failed set instead of retrying it", async () => {
      const job = starterDelivery();
      await addStraightToRedis(job, forgedCopy(job, "kept"));
      const jobId = webhookJobId("stripe", job.eventId);
      const workerConnection = createWorkerConnection(testServers().redisUrl);
      const worker = new Worker(
        WEBHOOK_QUEUE_NAMES.stripe,
        async () => {
          throw new UnrecoverableError("poison input");
        },
        { connection: workerConnection, prefix: queues.stripe.opts.prefix },
      );
      try {
        await waitFor("forged job to fail", async () => (await queues.stripe.getJobState(jobId)) === "failed");
      } finally {
        await worker.close();
        await workerConnection.quit();
      }

      await expect(producer.enqueue(job)).resolves.toBe("replaced");

      const stored = await queues.stripe.getJob(jobId);
      expect(await stored!.getState()).toBe("waiting");
      expect(stored!.attemptsMade).toBe(0);
      expect(checkJobSignature(stored!.data, KEYS)).toEqual({ ok: true });
      expect(JSON.stringify(stored!.data)).not.toContain("business");
    });

    it("waits while a worker holds the forged job, and replaces it once the worker refused it", async () => {
      const patient = new WebhookProducer({ ...producerOptions, timeoutMs: 10_000 });
      const job = starterDelivery();
      await addStraightToRedis(job, forgedCopy(job, "kept"));
      const jobId = webhookJobId("stripe", job.eventId);
      const worker = refusingWorker();
      try {
        await waitFor("forged job to be active", async () => (await queues.stripe.getJobState(jobId)) === "active");
        let settled = false;
        const enqueued = patient.enqueue(job).finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        // A locked job cannot be removed: the producer neither answers duplicate nor gives up.
        expect(settled).toBe(false);

        worker.release();

        await expect(enqueued).resolves.toBe("replaced");
      } finally {
        worker.release();
        await worker.close();
      }
      const stored = await queues.stripe.getJob(jobId);
      expect(stored!.data).toEqual(signWebhookJob(job, KEYS));
      expect(await totalJobs(queues, "stripe")).toBe(1);
    });

    it("answers unavailable (a 503: the provider retries) while a worker holds the forged job past the timeout", async () => {
      const job = starterDelivery();
      await addStraightToRedis(job, forgedCopy(job, "dropped"));
      const jobId = webhookJobId("stripe", job.eventId);
      const worker = refusingWorker();
      try {
        await waitFor("forged job to be active", async () => (await queues.stripe.getJobState(jobId)) === "active");

        await expect(producer.enqueue(job)).rejects.toBeInstanceOf(QueueUnavailableError);
      } finally {
        worker.release();
        await worker.close();
      }
      // The worker deleted the forgery; the timed-out replacement may still have landed after it.
      await waitFor("forged job to be gone", async () => {
        const current = await queues.stripe.getJob(jobId);
        return current === undefined || checkJobSignature(current.data, KEYS).ok;
      });
      // The provider's retry of the 503.
      expect(["enqueued", "duplicate"]).toContain(await producer.enqueue(job));
      expect((await queues.stripe.getJob(jobId))!.data).toEqual(signWebhookJob(job, KEYS));
    });

    it("takes a job signed with a key still accepted for the delivery's own job (rotation)", async () => {
      const rotated = new WebhookProducer({ ...producerOptions, signingKeys: [TEST_JOB_SIGNING_KEY_NEXT, TEST_JOB_SIGNING_KEY] });
      const job = starterDelivery();
      await producer.enqueue(job);

      await expect(rotated.enqueue(job)).resolves.toBe("duplicate");

      const fresh = starterDelivery();
      await rotated.enqueue(fresh);
      const stored = await queues.stripe.getJob(webhookJobId("stripe", fresh.eventId));
      expect(stored!.data).toEqual(signWebhookJob(fresh, [TEST_JOB_SIGNING_KEY_NEXT]));
    });
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
  let connection: RedisConnection;
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
    const producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS, signingKeys: [TEST_JOB_SIGNING_KEY] });
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
    const producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: TIMEOUT_MS, signingKeys: [TEST_JOB_SIGNING_KEY] });
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
