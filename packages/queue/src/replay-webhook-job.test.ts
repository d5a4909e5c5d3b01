import { clerkUserEvent, TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import { UnrecoverableError, Worker } from "bullmq";
import { DEFAULT_RETRY_POLICY, webhookJobOptions } from "./job-options";
import { checkJobSignature, signWebhookJob } from "./job-signature";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { createProducerConnection, createWorkerConnection, type RedisConnection } from "./redis-connection";
import { isReplayJobId, planWebhookReplay, replayJobId, replayWebhookJob, type ReplayWebhookJobOptions } from "./replay-webhook-job";
import { webhookJobId, type WebhookJob } from "./webhook-job";
import { WebhookProducer } from "./webhook-producer";
import { allWebhookQueues, closeWebhookQueues, createWebhookQueues, type WebhookQueues } from "./webhook-queues";

const ALL_STATES = ["wait", "active", "delayed", "prioritized", "waiting-children", "paused", "completed", "failed"] as const;
const KEYS = [TEST_JOB_SIGNING_KEY];
const RUNNABLE_STATES = ["wait", "active", "delayed", "prioritized", "waiting-children", "paused"] as const;

function clerkJob(): WebhookJob {
  const userId = uniqueId("user");
  const event = clerkUserEvent("user.created", { id: userId, email: "replay@example.com" }, 1_767_225_600_123);
  return {
    provider: "clerk",
    eventId: uniqueId("msg"),
    type: "user.created",
    objectId: userId,
    eventCreatedAt: 1_767_225_600_123,
    receivedAt: 1_767_225_601_000,
    payload: event,
  };
}

describe("replayJobId", () => {
  it("appends _replay_<n> to the producer's job id", () => {
    expect(replayJobId("stripe", "evt_1AbC", 1)).toBe("stripe_evt_1AbC_replay_1");
    expect(replayJobId("clerk", "msg_2xYz", 12)).toBe("clerk_msg_2xYz_replay_12");
  });

  it("is told apart from the receiver's job id by isReplayJobId", () => {
    expect(isReplayJobId(replayJobId("stripe", "evt_1AbC", 1))).toBe(true);
    expect(isReplayJobId(replayJobId("clerk", "msg_2xYz", 12))).toBe(true);
    expect(isReplayJobId("stripe_evt_1AbC")).toBe(false);
    expect(isReplayJobId("clerk_msg_replay_2xYz")).toBe(false);
  });

  it("rejects ids BullMQ cannot store and replay numbers below 1", () => {
    expect(() => replayJobId("stripe", "evt_1:2", 1)).toThrow(/not allowed/);
    expect(() => replayJobId("stripe", "evt_1", 0)).toThrow(/positive integer/);
    expect(() => replayJobId("stripe", "evt_1", 1.5)).toThrow(/positive integer/);
  });
});

describe("replayWebhookJob against Redis", () => {
  let connection: RedisConnection;
  let workerConnection: RedisConnection;
  let queues: WebhookQueues;
  let options: ReplayWebhookJobOptions;
  let producer: WebhookProducer;

  beforeAll(() => {
    connection = createProducerConnection(testServers().redisUrl);
    workerConnection = createWorkerConnection(testServers().redisUrl);
  });

  afterAll(async () => {
    await connection.quit();
    await workerConnection.quit();
  });

  beforeEach(() => {
    queues = createWebhookQueues(connection, uniqueQueuePrefix());
    const jobOptions = webhookJobOptions(DEFAULT_RETRY_POLICY);
    options = { queues, jobOptions, signingKeys: KEYS };
    producer = new WebhookProducer({ queues, jobOptions, timeoutMs: 5_000, signingKeys: KEYS });
  });

  afterEach(async () => {
    await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
    await closeWebhookQueues(queues);
  });

  /** Runs every waiting Clerk job through a throwaway worker until `jobId` reaches `state`. */
  async function processClerkJob(jobId: string, outcome: "fail" | "complete"): Promise<void> {
    const worker = new Worker(
      WEBHOOK_QUEUE_NAMES.clerk,
      async () => {
        if (outcome === "fail") throw new UnrecoverableError("poison input");
        return { status: "completed" };
      },
      { connection: workerConnection, prefix: queues.clerk.opts.prefix },
    );
    const expected = outcome === "fail" ? "failed" : "completed";
    try {
      await waitFor(`job ${jobId} to be ${expected}`, async () => (await queues.clerk.getJobState(jobId)) === expected);
    } finally {
      await worker.close();
    }
  }

  const runnableJobs = async (): Promise<number> => {
    const counts = await queues.clerk.getJobCounts(...RUNNABLE_STATES);
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  };
  const totalJobs = async (): Promise<number> => {
    const counts = await queues.clerk.getJobCounts(...ALL_STATES);
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  };

  it("retries the failed producer job with its attempts reset, and a second replay finds it queued", async () => {
    const job = clerkJob();
    const jobId = webhookJobId("clerk", job.eventId);
    await producer.enqueue(job);
    await processClerkJob(jobId, "fail");

    expect(await planWebhookReplay(queues, job, KEYS)).toEqual({ action: "retry", jobId });
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "retried", jobId });

    const retried = await queues.clerk.getJob(jobId);
    expect(await retried!.getState()).toBe("waiting");
    expect(retried!.attemptsMade).toBe(0);
    expect(retried!.data).toEqual(signWebhookJob(job, KEYS));
    expect(await planWebhookReplay(queues, job, KEYS)).toEqual({ action: "already-queued", jobId, state: "waiting" });
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "already-queued", jobId });
    expect(await runnableJobs()).toBe(1);
    expect(await totalJobs()).toBe(1);
  });

  it("adds _replay_1 with the same data and the producer's options when the job is gone", async () => {
    const job = clerkJob();

    expect(await planWebhookReplay(queues, job, KEYS)).toEqual({ action: "add", jobId: replayJobId("clerk", job.eventId, 1) });
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "re-added", jobId: replayJobId("clerk", job.eventId, 1) });

    const added = await queues.clerk.getJob(replayJobId("clerk", job.eventId, 1));
    expect(added?.name).toBe("user.created");
    expect(added?.data).toEqual(signWebhookJob(job, KEYS));
    expect(added?.opts).toMatchObject({ attempts: DEFAULT_RETRY_POLICY.attempts, backoff: { type: "exponential" } });
    expect(await added?.getState()).toBe("waiting");
    // The producer id stays free for a provider re-delivery.
    expect(await queues.clerk.getJob(webhookJobId("clerk", job.eventId))).toBeUndefined();
  });

  it("adds a replay job next to a completed producer job, and the next replay number after a completed replay", async () => {
    const job = clerkJob();
    const jobId = webhookJobId("clerk", job.eventId);
    await producer.enqueue(job);
    await processClerkJob(jobId, "complete");

    await expect(replayWebhookJob(options, job)).resolves.toMatchObject({ outcome: "re-added" });
    await processClerkJob(replayJobId("clerk", job.eventId, 1), "complete");
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "re-added", jobId: replayJobId("clerk", job.eventId, 2) });

    expect(await queues.clerk.getJobState(replayJobId("clerk", job.eventId, 2))).toBe("waiting");
    expect(await runnableJobs()).toBe(1);
    expect(await totalJobs()).toBe(3);
  });

  it("retries a failed replay job instead of adding another", async () => {
    const job = clerkJob();
    await replayWebhookJob(options, job);
    const firstReplay = replayJobId("clerk", job.eventId, 1);
    await processClerkJob(firstReplay, "fail");

    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "retried", jobId: firstReplay });

    expect(await queues.clerk.getJobState(firstReplay)).toBe("waiting");
    expect(await totalJobs()).toBe(1);
  });

  it("answers already-queued while the producer job still waits and adds nothing", async () => {
    const job = clerkJob();
    await producer.enqueue(job);

    await expect(replayWebhookJob(options, job)).resolves.toEqual({
      outcome: "already-queued",
      jobId: webhookJobId("clerk", job.eventId),
    });

    expect(await totalJobs()).toBe(1);
  });

  it("keeps one runnable job when the same failed delivery is replayed 10 times concurrently", async () => {
    const job = clerkJob();
    const jobId = webhookJobId("clerk", job.eventId);
    await producer.enqueue(job);
    await processClerkJob(jobId, "fail");

    const results = await Promise.all(Array.from({ length: 10 }, () => replayWebhookJob(options, job)));
    const outcomes = results.map((result) => result.outcome);

    for (const result of results) expect(result.jobId).toBe(jobId);
    expect(outcomes.filter((outcome) => outcome === "retried")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "already-queued")).toHaveLength(9);
    expect(await runnableJobs()).toBe(1);
    expect(await totalJobs()).toBe(1);
  });

  it("keeps one job when a gone delivery is replayed 10 times concurrently", async () => {
    const job = clerkJob();

    const results = await Promise.all(Array.from({ length: 10 }, () => replayWebhookJob(options, job)));

    for (const result of results) {
      expect(["re-added", "already-queued"]).toContain(result.outcome);
      expect(result.jobId).toBe(replayJobId("clerk", job.eventId, 1));
    }
    expect(await runnableJobs()).toBe(1);
    expect(await queues.clerk.getJob(replayJobId("clerk", job.eventId, 1))).toBeDefined();
  });

  /** A copy of the delivery's signed job with another email, added straight to Redis under `jobId`. */
  async function addForgedCopy(job: WebhookJob, jobId: string): Promise<void> {
    const forged = JSON.parse(JSON.stringify(signWebhookJob(job, KEYS)).replace("replay@example.com", "attacker@example.com")) as WebhookJob;
    await queues.clerk.add(job.type, forged, { jobId });
  }

  it("replaces a forged job on the producer id instead of retrying it: the signed delivery runs", async () => {
    const job = clerkJob();
    const jobId = webhookJobId("clerk", job.eventId);
    await addForgedCopy(job, jobId);
    await processClerkJob(jobId, "fail");

    expect(await planWebhookReplay(queues, job, KEYS)).toEqual({ action: "replace", jobId });
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "replaced", jobId });

    const replaced = await queues.clerk.getJob(jobId);
    expect(replaced!.data).toEqual(signWebhookJob(job, KEYS));
    expect(await replaced!.getState()).toBe("waiting");
    expect(replaced!.attemptsMade).toBe(0);
    expect(await totalJobs()).toBe(1);
    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "already-queued", jobId });
  });

  it("replaces a waiting forged job on a replay id instead of counting it as queued", async () => {
    const job = clerkJob();
    const forgedId = replayJobId("clerk", job.eventId, 1);
    await addForgedCopy(job, forgedId);

    await expect(replayWebhookJob(options, job)).resolves.toEqual({ outcome: "replaced", jobId: forgedId });

    expect(checkJobSignature((await queues.clerk.getJob(forgedId))!.data, KEYS)).toEqual({ ok: true });
    expect(JSON.stringify((await queues.clerk.getJob(forgedId))!.data)).not.toContain("attacker@example.com");
    expect(await runnableJobs()).toBe(1);
  });

  it("leaves a forged job alone while the delivery's genuine job is still queued", async () => {
    const job = clerkJob();
    await producer.enqueue(job);
    await addForgedCopy(job, replayJobId("clerk", job.eventId, 1));

    await expect(replayWebhookJob(options, job)).resolves.toEqual({
      outcome: "already-queued",
      jobId: webhookJobId("clerk", job.eventId),
    });
  });

  it("plans without changing anything in Redis", async () => {
    const job = clerkJob();
    const jobId = webhookJobId("clerk", job.eventId);
    await producer.enqueue(job);
    await processClerkJob(jobId, "fail");
    const before = await queues.clerk.getJob(jobId);

    await planWebhookReplay(queues, job, KEYS);
    await planWebhookReplay(queues, { ...job, eventId: uniqueId("msg") }, KEYS);

    const after = await queues.clerk.getJob(jobId);
    expect(await after!.getState()).toBe("failed");
    expect(after!.asJSON()).toEqual(before!.asJSON());
    expect(await totalJobs()).toBe(1);
  });
});
