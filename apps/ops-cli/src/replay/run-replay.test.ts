import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  DEFAULT_RETRY_POLICY,
  replayJobId,
  signWebhookJob,
  webhookJobId,
  webhookJobOptions,
  type WebhookJob,
  type WebhookQueues,
} from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix } from "@wh/testkit";
import { lineProgress } from "../progress/line-progress";
import type { ReplayArgs, ReplaySelection } from "./replay-args";
import { runReplay, type ReplayRunDependencies, type ReplayRunResult } from "./run-replay";
import {
  addFailedJob,
  addQueuedJob,
  deleteLedgerRows,
  insertLedgerRow,
  ledgerSnapshot,
  redisSnapshot,
  runnableJobsOf,
  uniqueTimeWindow,
} from "./test-support/replay-fixtures";

let prisma: PrismaClient;
let connection: ReturnType<typeof createProducerConnection>;
let queues: WebhookQueues;
let created: WebhookJob[];

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 4 });
  connection = createProducerConnection(testServers().redisUrl);
});

afterAll(async () => {
  await prisma.$disconnect();
  await connection.quit();
});

beforeEach(() => {
  queues = createWebhookQueues(connection, uniqueQueuePrefix());
  created = [];
});

afterEach(async () => {
  await deleteLedgerRows(prisma, created);
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(queues);
});

async function row(options: Parameters<typeof insertLedgerRow>[1]): Promise<WebhookJob> {
  const job = await insertLedgerRow(prisma, options);
  created.push(job);
  return job;
}

interface Run extends ReplayRunResult {
  out: string[];
  err: string[];
  /** Event ids in the order they were listed on stdout. */
  listed: string[];
  /** Each listed event id → its line's action ("would retry", "re-added", …). */
  actions: Map<string, string>;
}

async function run(selection: ReplaySelection, execute: boolean, options: Partial<ReplayRunDependencies> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const args: ReplayArgs = { selection, execute };
  const result = await runReplay(
    {
      prisma,
      queue: { queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
      writeOut: (line) => out.push(line),
      writeErr: (line) => err.push(line),
      ...options,
    },
    args,
  );
  const listed = out.map((line) => /event=(\S+)/.exec(line)?.[1] ?? "?");
  const actions = new Map(out.map((line) => [/event=(\S+)/.exec(line)?.[1] ?? "?", line.slice(0, 15).trim()]));
  return { ...result, out, err, listed, actions };
}

const inWindow = (window: ReturnType<typeof uniqueTimeWindow>, extra: Partial<ReplaySelection> = {}): ReplaySelection => ({
  kind: "filter",
  statuses: ["dead", "failed"],
  since: window.start,
  until: window.end,
  ...extra,
} as ReplaySelection);

describe("runReplay over a selection", () => {
  it("in a dry run lists what it would do for each delivery and changes nothing in Redis or Postgres", async () => {
    const window = uniqueTimeWindow();
    const failedJob = await row({ status: "dead", receivedAt: window.at(1) });
    const goneJob = await row({ status: "dead", receivedAt: window.at(2) });
    const queuedJob = await row({ status: "failed", receivedAt: window.at(3) });
    await addFailedJob(queues, failedJob);
    await addQueuedJob(queues, queuedJob);
    const redisBefore = await redisSnapshot(connection, queues);
    const ledgerBefore = await ledgerSnapshot(prisma, created);
    expect(redisBefore.size).toBeGreaterThan(0);
    expect(ledgerBefore).toHaveLength(3);

    const result = await run(inWindow(window), false);

    expect(result.listed).toEqual([failedJob.eventId, goneJob.eventId, queuedJob.eventId]);
    expect(result.out[0]).toMatch(/^would retry +provider=clerk .* status=dead .* job=clerk_msg_\w+$/);
    expect(result.actions.get(failedJob.eventId)).toBe("would retry");
    expect(result.actions.get(goneJob.eventId)).toBe("would re-add");
    expect(result.out[1]).toContain(`job=${replayJobId("clerk", goneJob.eventId, 1)}`);
    expect(result.actions.get(queuedJob.eventId)).toBe("already queued");
    expect(result.tally).toEqual({ selected: 3, retried: 1, reAdded: 1, replaced: 0, alreadyQueued: 1, alreadySettled: 0, deferred: 0, errors: 0 });
    expect(result.err.join("\n")).toMatch(/dry run.*3 selected/);
    expect(result.err.at(-2)).toBe(
      "[replay] dry run: selected 3: would retry 1, would re-add 1, would replace 0, already queued 1, already settled 0, deferred 0, errors 0",
    );
    expect(result.err.at(-1)).toMatch(/nothing was changed/);
    expect(await redisSnapshot(connection, queues)).toEqual(redisBefore);
    expect(await ledgerSnapshot(prisma, created)).toEqual(ledgerBefore);
  });

  it("with execute retries the failed job, re-adds the gone one with the stored data, and a second run adds nothing", async () => {
    const window = uniqueTimeWindow();
    const failedJob = await row({ status: "dead", receivedAt: window.at(1) });
    const goneJob = await row({ status: "dead", provider: "stripe", receivedAt: window.at(2) });
    const queuedJob = await row({ status: "failed", receivedAt: window.at(3) });
    await addFailedJob(queues, failedJob);
    await addQueuedJob(queues, queuedJob);
    const ledgerBefore = await ledgerSnapshot(prisma, created);
    const redisBefore = await redisSnapshot(connection, queues);

    const first = await run(inWindow(window), true);

    expect(first.tally).toEqual({ selected: 3, retried: 1, reAdded: 1, replaced: 0, alreadyQueued: 1, alreadySettled: 0, deferred: 0, errors: 0 });
    expect(first.err.at(-1)).toBe(
      "[replay] selected 3: retry 1, re-add 1, replace 0, already queued 1, already settled 0, deferred 0, errors 0",
    );
    const retried = await queues.clerk.getJob(webhookJobId("clerk", failedJob.eventId));
    expect(await retried?.getState()).toBe("waiting");
    expect(retried?.attemptsMade).toBe(0);
    const readded = await queues.stripe.getJob(replayJobId("stripe", goneJob.eventId, 1));
    expect(readded?.name).toBe("customer.subscription.updated");
    // The job the receiver had enqueued, rebuilt from the ledger row: same event id, times and payload.
    expect(readded?.data).toEqual(signWebhookJob(goneJob, [TEST_JOB_SIGNING_KEY]));
    expect(readded?.opts.attempts).toBe(DEFAULT_RETRY_POLICY.attempts);
    // The CLI never writes the ledger: the workers do when they run the jobs.
    expect(await ledgerSnapshot(prisma, created)).toEqual(ledgerBefore);
    expect(await redisSnapshot(connection, queues)).not.toEqual(redisBefore);

    const second = await run(inWindow(window), true);

    expect(second.tally).toEqual({ selected: 3, retried: 0, reAdded: 0, replaced: 0, alreadyQueued: 3, alreadySettled: 0, deferred: 0, errors: 0 });
    for (const job of [failedJob, goneJob, queuedJob]) expect(await runnableJobsOf(queues, job)).toHaveLength(1);
    expect(await runnableJobsOf(queues, goneJob)).toEqual([replayJobId("stripe", goneJob.eventId, 1)]);
  });

  it("replaces a forged job that took a dead delivery's id with the signed job rebuilt from the ledger", async () => {
    const window = uniqueTimeWindow();
    const deadJob = await row({ status: "dead", provider: "stripe", receivedAt: window.at(1) });
    const jobId = webhookJobId("stripe", deadJob.eventId);
    // Added straight to Redis: the same delivery, claiming live mode, without a signature.
    await queues.stripe.add(deadJob.type, { ...deadJob, payload: { ...deadJob.payload, livemode: true } }, { jobId });

    const dryRun = await run(inWindow(window), false);
    expect(dryRun.actions.get(deadJob.eventId)).toBe("would replace");
    const result = await run(inWindow(window), true);

    expect(result.actions.get(deadJob.eventId)).toBe("replaced");
    expect(result.err.at(-1)).toBe("[replay] selected 1: retry 0, re-add 0, replace 1, already queued 0, already settled 0, deferred 0, errors 0");
    expect((await queues.stripe.getJob(jobId))?.data).toEqual(signWebhookJob(deadJob, [TEST_JOB_SIGNING_KEY]));
    expect(await runnableJobsOf(queues, deadJob)).toEqual([jobId]);
  });

  it("selects by status, provider, type and a received_at range (since inclusive, until exclusive)", async () => {
    const window = uniqueTimeWindow();
    const clerkDead = await row({ status: "dead", receivedAt: window.at(10) });
    const clerkFailed = await row({ status: "failed", receivedAt: window.at(20) });
    const clerkOtherType = await row({ status: "dead", type: "user.updated", receivedAt: window.at(30) });
    const stripeDead = await row({ status: "dead", provider: "stripe", receivedAt: window.at(40) });
    const settled = await row({ status: "completed", receivedAt: window.at(50) });
    const ignored = await row({ status: "ignored", provider: "stripe", receivedAt: window.at(60) });
    const ids = (...jobs: WebhookJob[]) => jobs.map((job) => job.eventId);

    expect((await run(inWindow(window), false)).listed).toEqual(ids(clerkDead, clerkFailed, clerkOtherType, stripeDead));
    expect((await run(inWindow(window, { statuses: ["dead"] }), false)).listed).toEqual(
      ids(clerkDead, clerkOtherType, stripeDead),
    );
    expect((await run(inWindow(window, { statuses: ["failed"] }), false)).listed).toEqual(ids(clerkFailed));
    expect((await run(inWindow(window, { provider: "stripe" }), false)).listed).toEqual(ids(stripeDead));
    expect((await run(inWindow(window, { provider: "clerk", type: "user.created" }), false)).listed).toEqual(
      ids(clerkDead, clerkFailed),
    );
    expect((await run(inWindow(window, { since: window.at(20), until: window.at(40) }), false)).listed).toEqual(
      ids(clerkFailed, clerkOtherType),
    );
    expect((await run(inWindow(window, { type: "no.such.type" }), false)).tally.selected).toBe(0);
    // Settled rows are never selected by the filters.
    const everything = await run(inWindow(window), false);
    expect(everything.listed).not.toContain(settled.eventId);
    expect(everything.listed).not.toContain(ignored.eventId);
  });

  it("replays ignored deliveries only when asked for by status, so the worker evaluates them again", async () => {
    const window = uniqueTimeWindow();
    const ignored = await row({ status: "ignored", provider: "stripe", receivedAt: window.at(1) });
    await row({ status: "dead", receivedAt: window.at(2) });

    const result = await run(inWindow(window, { statuses: ["ignored"] }), true);

    expect(result.listed).toEqual([ignored.eventId]);
    expect(result.tally).toMatchObject({ selected: 1, reAdded: 1, alreadySettled: 0 });
    expect(await runnableJobsOf(queues, ignored)).toEqual([replayJobId("stripe", ignored.eventId, 1)]);
  });

  it("reads in pages, oldest first, each row once, honours --limit, and reports progress", async () => {
    const window = uniqueTimeWindow();
    // Two rows share a received_at across the first page boundary (2nd and 3rd): the id breaks the tie.
    const jobs = [];
    for (const seconds of [5, 1, 2, 2, 3, 4, 7]) jobs.push(await row({ status: "dead", receivedAt: window.at(seconds) }));
    const oldestFirst = [...jobs].sort((a, b) => a.receivedAt - b.receivedAt).map((job) => job.eventId);

    const progressLines: string[] = [];
    const all = await run(inWindow(window), false, { pageSize: 2, progress: lineProgress((line) => progressLines.push(line), "replay", 3) });

    expect(all.listed).toEqual(oldestFirst);
    expect(progressLines).toEqual(["[replay] 3/7", "[replay] 6/7"]);

    const limited = await run(inWindow(window, { limit: 4 }), false, { pageSize: 3 });

    expect(limited.listed).toEqual(oldestFirst.slice(0, 4));
    expect(limited.err[0]).toMatch(/limit 4: 4 selected$/);
  });

  it("counts a row whose stored payload cannot make a job as an error and goes on with the others", async () => {
    const window = uniqueTimeWindow();
    const broken = await row({ status: "dead", receivedAt: window.at(1), payload: ["not", "an", "object"] });
    const fine = await row({ status: "dead", receivedAt: window.at(2) });

    const result = await run(inWindow(window), true);

    expect(result.tally).toMatchObject({ selected: 2, reAdded: 1, errors: 1 });
    expect(result.out[0]).toMatch(/^error .*event=\S+ .*reason="StoredPayloadError: ledger row cannot be turned into a job: payload: /);
    expect(result.out[0]).toContain(`event=${broken.eventId}`);
    expect(await runnableJobsOf(queues, fine)).toEqual([replayJobId("clerk", fine.eventId, 1)]);
  });

  it("stops after the current delivery when aborted and says so", async () => {
    const window = uniqueTimeWindow();
    for (const seconds of [1, 2, 3]) await row({ status: "dead", receivedAt: window.at(seconds) });
    const abort = new AbortController();
    const out: string[] = [];

    const result = await runReplay(
      {
        prisma,
        queue: { queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
        writeOut: (line) => {
          out.push(line);
          abort.abort();
        },
        writeErr: () => undefined,
        signal: abort.signal,
      },
      { selection: inWindow(window), execute: false },
    );

    expect(result.interrupted).toBe(true);
    expect(out).toHaveLength(1);
  });
});

describe("runReplay of one event", () => {
  it("retries a dead delivery's failed job, and reports a second run as already queued", async () => {
    const job = await row({ status: "dead", receivedAt: uniqueTimeWindow().at(0) });
    await addFailedJob(queues, job);

    const first = await run({ kind: "event", eventId: job.eventId, provider: "clerk" }, true);
    const second = await run({ kind: "event", eventId: job.eventId }, true);

    expect(first.tally).toMatchObject({ selected: 1, retried: 1, errors: 0 });
    expect(first.out[0]).toMatch(new RegExp(`^retried +provider=clerk event=${job.eventId} `));
    expect(second.tally).toMatchObject({ selected: 1, alreadyQueued: 1, errors: 0 });
    expect(await runnableJobsOf(queues, job)).toEqual([webhookJobId("clerk", job.eventId)]);
  });

  it("reports a settled delivery as already settled and leaves Redis alone", async () => {
    const job = await row({ status: "skipped_stale", receivedAt: uniqueTimeWindow().at(0) });
    const before = await redisSnapshot(connection, queues);

    const result = await run({ kind: "event", eventId: job.eventId }, true);

    expect(result.tally).toEqual({ selected: 1, retried: 0, reAdded: 0, replaced: 0, alreadyQueued: 0, alreadySettled: 1, deferred: 0, errors: 0 });
    expect(result.out[0]).toMatch(/^already settled +provider=clerk .* status=skipped_stale /);
    expect(await redisSnapshot(connection, queues)).toEqual(before);
    expect(await runnableJobsOf(queues, job)).toEqual([]);
  });

  it("leaves a deferred delivery to the worker, which runs it when what it waits for appears", async () => {
    const job = await row({ status: "deferred", provider: "stripe", receivedAt: uniqueTimeWindow().at(0) });
    const before = await redisSnapshot(connection, queues);

    const result = await run({ kind: "event", eventId: job.eventId }, true);

    expect(result.tally).toEqual({ selected: 1, retried: 0, reAdded: 0, replaced: 0, alreadyQueued: 0, alreadySettled: 0, deferred: 1, errors: 0 });
    expect(result.out[0]).toMatch(/^deferred +provider=stripe .* status=deferred /);
    expect(await redisSnapshot(connection, queues)).toEqual(before);
  });

  it("counts an event id without a ledger row, or of the other provider, as an error", async () => {
    const job = await row({ status: "dead", receivedAt: uniqueTimeWindow().at(0) });

    const missing = await run({ kind: "event", eventId: uniqueId("evt") }, true);
    const otherProvider = await run({ kind: "event", eventId: job.eventId, provider: "stripe" }, true);

    expect(missing.tally).toMatchObject({ selected: 0, errors: 1 });
    expect(missing.err.join("\n")).toMatch(/no ledger row for any provider's event evt_/);
    expect(otherProvider.tally).toMatchObject({ selected: 0, errors: 1 });
    expect(await runnableJobsOf(queues, job)).toEqual([]);
  });
});
