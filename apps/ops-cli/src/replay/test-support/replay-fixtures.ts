import { randomInt } from "node:crypto";
import type { EventStatus, Prisma, PrismaClient } from "@wh/db";
import {
  createProducerConnection,
  createWorkerConnection,
  DEFAULT_RETRY_POLICY,
  webhookJobOptions,
  WebhookProducer,
  WEBHOOK_QUEUE_NAMES,
  webhookJobId,
  type WebhookJob,
  type WebhookProvider,
  type WebhookQueues,
} from "@wh/queue";
import { clerkUserEvent, stripeEvent, subscriptionObject, TEST_JOB_SIGNING_KEY, testServers, uniqueId, waitFor } from "@wh/testkit";
import { UnrecoverableError, Worker } from "bullmq";

/**
 * A one-hour window of `received_at` in the past that no other test writes to: the replay
 * filters select by time, and the ledger table is shared with every other test.
 */
export function uniqueTimeWindow(): { start: Date; end: Date; at: (seconds: number) => Date } {
  const hour = 3_600_000;
  // Any hour between 2001 and 2020.
  const start = new Date(Date.UTC(2001, 0, 1) + randomInt(0, 20 * 365 * 24) * hour);
  return { start, end: new Date(start.getTime() + hour), at: (seconds) => new Date(start.getTime() + seconds * 1_000) };
}

export interface LedgerRowOptions {
  provider?: WebhookProvider;
  status?: EventStatus;
  type?: string;
  receivedAt: Date;
  /** Replaces the stored payload (to store one a job cannot carry). */
  payload?: Prisma.InputJsonValue;
}

/**
 * Writes a ledger row the way the worker's failure path does, with a real provider payload from
 * the testkit fixtures, and returns the job the receiver had enqueued for it.
 */
export async function insertLedgerRow(prisma: PrismaClient, options: LedgerRowOptions): Promise<WebhookJob> {
  const provider = options.provider ?? "clerk";
  const eventCreatedAt = options.receivedAt.getTime() - 1_234;
  const job =
    provider === "clerk"
      ? clerkDelivery(options.type ?? "user.created", eventCreatedAt)
      : stripeDelivery(options.type ?? "customer.subscription.updated", eventCreatedAt);
  const status = options.status ?? "dead";
  await prisma.webhookEvent.create({
    data: {
      provider,
      eventId: job.eventId,
      type: job.type,
      status,
      attempts: status === "dead" || status === "failed" ? 1 : 0,
      lastError: status === "dead" || status === "failed" ? "UnrecoverableError: poison input" : null,
      objectId: job.objectId ?? null,
      eventCreatedAt: new Date(job.eventCreatedAt),
      receivedAt: options.receivedAt,
      payload: options.payload ?? (job.payload as Prisma.InputJsonObject),
    },
  });
  return { ...job, receivedAt: options.receivedAt.getTime() };
}

function clerkDelivery(type: string, eventCreatedAt: number): WebhookJob {
  const userId = uniqueId("user");
  const payload = clerkUserEvent("user.created", { id: userId, email: "replay@example.com" }, eventCreatedAt);
  return {
    provider: "clerk",
    eventId: uniqueId("msg"),
    type,
    objectId: userId,
    eventCreatedAt,
    receivedAt: 0,
    payload: { ...payload, type },
  };
}

function stripeDelivery(type: string, eventCreatedAt: number): WebhookJob {
  const subscriptionId = uniqueId("sub");
  const subscription = subscriptionObject({ id: subscriptionId, customerId: uniqueId("cus"), status: "active", plan: "pro" });
  const created = Math.floor(eventCreatedAt / 1_000);
  const payload = stripeEvent(type, subscription, { created });
  return {
    provider: "stripe",
    eventId: payload.id as string,
    type,
    objectId: subscriptionId,
    eventCreatedAt: created * 1_000,
    receivedAt: 0,
    payload,
  };
}

export async function deleteLedgerRows(prisma: PrismaClient, jobs: readonly WebhookJob[]): Promise<void> {
  await prisma.webhookEvent.deleteMany({ where: { eventId: { in: jobs.map((job) => job.eventId) } } });
}

/**
 * Puts the delivery's job into the failed set the way production does: added under its job id,
 * then taken by a worker whose processor throws UnrecoverableError (poison input). The worker
 * takes every waiting job of that queue: add the jobs meant to stay queued afterwards.
 */
export async function addFailedJob(queues: WebhookQueues, job: WebhookJob): Promise<void> {
  const queue = queues[job.provider];
  const jobId = webhookJobId(job.provider, job.eventId);
  await addQueuedJob(queues, job);
  const connection = createWorkerConnection(testServers().redisUrl);
  const worker = new Worker(
    WEBHOOK_QUEUE_NAMES[job.provider],
    async () => {
      throw new UnrecoverableError("poison input");
    },
    { connection, prefix: queue.opts.prefix },
  );
  try {
    await waitFor(`job ${jobId} to fail`, async () => (await queue.getJobState(jobId)) === "failed");
  } finally {
    await worker.close();
    await connection.quit();
  }
}

/** Adds the delivery's job as the receiver does; it waits, since no worker runs in these tests. */
export async function addQueuedJob(queues: WebhookQueues, job: WebhookJob): Promise<void> {
  const producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: 5_000, signingKeys: [TEST_JOB_SIGNING_KEY] });
  if ((await producer.enqueue(job)) !== "enqueued") throw new Error(`job of ${job.eventId} was already there`);
}

const RUNNABLE_STATES = ["wait", "active", "delayed", "prioritized", "waiting-children", "paused"] as const;

/** Jobs of one delivery (producer id or a replay id) that a worker would still run. */
export async function runnableJobsOf(queues: WebhookQueues, job: WebhookJob): Promise<string[]> {
  const jobs = await queues[job.provider].getJobs([...RUNNABLE_STATES]);
  const base = webhookJobId(job.provider, job.eventId);
  return jobs
    .map((candidate) => candidate.id ?? "")
    .filter((id) => id === base || id.startsWith(`${base}_replay_`))
    .sort();
}

/**
 * Every key under a queue prefix and its serialized value (DUMP), skipping keys with a TTL
 * (BullMQ's short-lived locks and markers): two equal snapshots mean nothing was written.
 */
export async function redisSnapshot(
  client: ReturnType<typeof createProducerConnection>,
  queues: WebhookQueues,
): Promise<Map<string, string>> {
  const prefix = queues.clerk.opts.prefix!;
  const snapshot = new Map<string, string>();
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      if ((await client.pttl(key)) > 0) continue;
      const value = await client.dumpBuffer(key);
      if (value) snapshot.set(key, value.toString("hex"));
    }
  } while (cursor !== "0");
  return snapshot;
}

export async function ledgerSnapshot(prisma: PrismaClient, jobs: readonly WebhookJob[]): Promise<unknown[]> {
  return prisma.webhookEvent.findMany({
    where: { eventId: { in: jobs.map((job) => job.eventId) } },
    orderBy: { id: "asc" },
  });
}
