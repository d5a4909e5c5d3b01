import type { Job, JobsOptions, JobState } from "bullmq";
import { checkJobSignature, signWebhookJob, type JobSigningKeys } from "./job-signature";
import { replaceForgedJob } from "./replace-forged-job";
import { retryFailedJob } from "./retry-failed-job";
import { webhookJobId, type WebhookJob } from "./webhook-job";
import { webhookQueueOf, type WebhookQueues } from "./webhook-queues";

/**
 * What replaying one delivery does in Redis:
 * - `retry`: a job of this delivery sits in the failed set; it is retried with its attempts reset;
 * - `add`: no job of it is left to retry (completed, or removed by age); a new job is added under
 *   the next replay id, carrying the same event id so the worker's ledger keeps the effect single;
 * - `replace`: a job under one of its ids fails verification (forged, or signed with a key no
 *   longer accepted): it is removed and the signed job added under its id;
 * - `already-queued`: a job of it is waiting, delayed or running; nothing to do.
 */
export type ReplayPlan =
  | { action: "retry"; jobId: string }
  | { action: "add"; jobId: string }
  | { action: "replace"; jobId: string }
  | { action: "already-queued"; jobId: string; state: JobState };

export type ReplayOutcome = "retried" | "re-added" | "replaced" | "already-queued";

/** What a replay did, and the job that now carries the delivery (or already did). */
export interface ReplayResult {
  outcome: ReplayOutcome;
  jobId: string;
}

export interface ReplayWebhookJobOptions {
  queues: WebhookQueues;
  /** Options of a newly added job, the producer's: `webhookJobOptions(policy)`. */
  jobOptions: JobsOptions;
  /** JOB_SIGNING_KEY: added jobs are signed with the first; existing ones must verify under one. */
  signingKeys: JobSigningKeys;
}

/** More replays of one delivery than this means something loops; an operator should look. */
export const MAX_REPLAYS_PER_EVENT = 100;

const FAILED: JobState = "failed";

/** How long a replay waits for a worker to drop a forged job it is running (see replace-forged-job.ts). */
const REPLACE_WAIT_MS = 5_000;

const REPLAY_ID_INFIX = "_replay_";
const REPLAY_ID_SUFFIX = new RegExp(`${REPLAY_ID_INFIX}[1-9][0-9]*$`);

/**
 * The id of the n-th replay job of a delivery: `clerk_msg_…_replay_1`. Deterministic, so two
 * concurrent replays add the same id and BullMQ keeps one job; never an integer, never a `:`.
 */
export function replayJobId(provider: WebhookJob["provider"], eventId: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`replay number must be a positive integer, got ${n}`);
  return `${webhookJobId(provider, eventId)}${REPLAY_ID_INFIX}${n}`;
}

/** Whether a job id is a replay job's (`replayJobId`), not the one the receiver gave the delivery. */
export function isReplayJobId(jobId: string): boolean {
  return REPLAY_ID_SUFFIX.test(jobId);
}

/**
 * Decides what replaying a delivery would do, reading Redis only. The jobs of a delivery are its
 * producer job (`webhookJobId`) and its replay jobs `_replay_1`, `_replay_2`, … up to the first
 * id that does not exist. Call it only for deliveries the ledger has not settled: Redis cannot
 * tell a completed job whose effect was recorded from one whose ledger row is still dead.
 * Only jobs that verify under `signingKeys` count as the delivery's; the first one that does not
 * is replaced, unless a genuine job of the delivery is still queued.
 */
export async function planWebhookReplay(queues: WebhookQueues, data: WebhookJob, signingKeys: JobSigningKeys): Promise<ReplayPlan> {
  const jobs = await jobsOfDelivery(queues, data);
  const genuine = jobs.filter((entry) => checkJobSignature(entry.job.data, signingKeys).ok);
  const queued = genuine.find((entry) => isQueued(entry.state));
  if (queued) return { action: "already-queued", jobId: queued.job.id!, state: queued.state as JobState };
  const forged = jobs.find((entry) => !genuine.includes(entry));
  if (forged) return { action: "replace", jobId: forged.job.id! };
  const failed = genuine.filter((entry) => entry.state === FAILED).at(-1);
  if (failed) return { action: "retry", jobId: failed.job.id! };
  const replays = jobs.filter((entry) => entry.job.id !== webhookJobId(data.provider, data.eventId)).length;
  if (replays >= MAX_REPLAYS_PER_EVENT) {
    throw new Error(`${data.provider} event ${data.eventId} was replayed ${replays} times already; not adding another`);
  }
  return { action: "add", jobId: replayJobId(data.provider, data.eventId, replays + 1) };
}

/**
 * Replays one delivery through the queue, so the workers' own handlers run it again. Idempotent:
 * a second call while the first job waits answers `already-queued`, and concurrent calls retry
 * or add the same job id, which BullMQ keeps once.
 */
export async function replayWebhookJob(options: ReplayWebhookJobOptions, data: WebhookJob): Promise<ReplayResult> {
  const queue = webhookQueueOf(options.queues, data);
  const plan = await planWebhookReplay(options.queues, data, options.signingKeys);
  switch (plan.action) {
    case "already-queued":
      return { outcome: "already-queued", jobId: plan.jobId };
    case "retry": {
      const job = await queue.getJob(plan.jobId);
      // Removed since the plan was made (its age ran out): plan again, which now adds.
      if (!job) return replayWebhookJob(options, data);
      return { outcome: (await retryFailedJob(job)) ? "retried" : "already-queued", jobId: plan.jobId };
    }
    case "add":
      await queue.add(data.type, signWebhookJob(data, options.signingKeys), { ...options.jobOptions, jobId: plan.jobId });
      return { outcome: "re-added", jobId: plan.jobId };
    case "replace":
      await replaceForgedJob(queue, plan.jobId, signWebhookJob(data, options.signingKeys), options.jobOptions, REPLACE_WAIT_MS);
      return { outcome: "replaced", jobId: plan.jobId };
  }
}

interface DeliveryJob {
  job: Job<WebhookJob>;
  state: JobState | "unknown";
}

async function jobsOfDelivery(queues: WebhookQueues, data: WebhookJob): Promise<DeliveryJob[]> {
  const queue = webhookQueueOf(queues, data);
  const found: DeliveryJob[] = [];
  const producerJob = await queue.getJob(webhookJobId(data.provider, data.eventId));
  if (producerJob) found.push({ job: producerJob, state: await producerJob.getState() });
  for (let n = 1; n <= MAX_REPLAYS_PER_EVENT; n += 1) {
    const job = await queue.getJob(replayJobId(data.provider, data.eventId, n));
    if (!job) break;
    found.push({ job, state: await job.getState() });
  }
  return found;
}

/** Waiting, delayed, running or otherwise still to run: a replay would only add a second job. */
function isQueued(state: JobState | "unknown"): boolean {
  return state !== "completed" && state !== FAILED && state !== "unknown";
}
