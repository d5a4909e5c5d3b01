import { errorMessage, type Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { checkJobSignature, signWebhookJob, webhookJobSchema, type JobSigningKeys, type WebhookJob } from "@wh/queue";
import { UnrecoverableError, type Job } from "bullmq";
import { applyWebhookEvent, type ApplyResult } from "./apply-webhook-event";
import { eventPath } from "./event-path";
import { UnauthenticatedJobError } from "./unauthenticated-job-error";
import type { WorkerMetrics } from "./worker-metrics";

export interface ProcessorDependencies {
  prisma: PrismaClient;
  log: Logger;
  metrics: WorkerMetrics;
  jobTimeoutMs: number;
  stripeLivemode: boolean;
  /** JOB_SIGNING_KEY: jobs must verify under one; a stripped Clerk job is re-signed with the first. */
  signingKeys: JobSigningKeys;
}

/**
 * The BullMQ processor of both webhook queues. Throws to retry; poison throws UnrecoverableError.
 * A job that fails verification (not added by our receiver or replay) is refused before anything
 * else: it changes nothing, nothing of it is written anywhere, and it is deleted from Redis.
 */
export function createWebhookProcessor(deps: ProcessorDependencies) {
  return async (job: Job<WebhookJob>, _token?: string, signal?: AbortSignal): Promise<ApplyResult> => {
    const check = checkJobSignature(job.data, deps.signingKeys);
    if (!check.ok) {
      // Labels and log fields the job's author cannot choose: the queue is ours, not the job name.
      deps.metrics.unauthenticated.inc({ queue: job.queueName, reason: check.reason });
      deps.log.error({ queue: job.queueName, jobId: job.id, reason: check.reason }, "unauthenticated job refused and deleted");
      // BullMQ reads removeOnFail from this object when it fails the job: the job is deleted in the
      // same Redis script that releases our lock, so it never rests in the failed set, and a
      // producer replacing it (replace-forged-job.ts) cannot slip a real job in before the delete.
      job.opts.removeOnFail = true;
      throw new UnauthenticatedJobError(check.reason);
    }
    const parsed = webhookJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`poison job data: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const data = parsed.data;
    const timer = deps.metrics.processingSeconds.startTimer({ provider: data.provider });
    const result = await applyWebhookEvent(deps.prisma, data, {
      timeoutMs: deps.jobTimeoutMs,
      stripeLivemode: deps.stripeLivemode,
      attempt: job.attemptsMade + 1,
      signal,
    });
    timer();
    observeEndToEnd(deps.metrics, job, data, result);
    deps.metrics.processed.inc({ provider: data.provider, status: result.status });
    if (result.ignoredReason) deps.metrics.ignored.inc({ provider: data.provider, reason: result.ignoredReason });
    const event = { provider: data.provider, eventId: data.eventId, type: data.type };
    if (result.ignoredReason === "other_stripe_mode") {
      deps.log.error(
        { ...event, livemode: data.payload.livemode, stripeLivemode: deps.stripeLivemode },
        "stripe event of the other mode ignored: check STRIPE_LIVEMODE, then replay the ignored events",
      );
    }
    // Debug only, as the receiver's accepted deliveries: the metrics count every outcome and the
    // ledger holds each event; a line per event would cost the hot path and fill the logs.
    deps.log.debug({ ...event, status: result.status, alreadySettled: result.alreadySettled, attempt: job.attemptsMade + 1 }, "event processed");
    if (data.provider === "clerk") {
      // Settled: a re-run is a no-op that needs ids only, so the job kept in Redis (for the
      // duplicate fast path) need not hold the user's email and names any longer.
      await job.updateData(signWebhookJob(withoutPersonalData(data), deps.signingKeys)).catch((error: unknown) => {
        deps.log.warn({ ...event, err: errorMessage(error) }, "could not strip personal data from job");
      });
    }
    return result;
  };
}

/**
 * Once per event, when a run settles it: a deferral is not the end (the event is counted when it
 * finally runs, as `deferred`), and a run that found the row settled committed nothing.
 */
function observeEndToEnd(metrics: WorkerMetrics, job: Job<WebhookJob>, data: WebhookJob, result: ApplyResult): void {
  if (result.alreadySettled || result.status === "deferred") return;
  const path = eventPath({ jobId: job.id, attemptsMade: job.attemptsMade, previousStatus: result.previousStatus });
  // Another host's clock may run ahead of ours: a negative latency is recorded as none.
  metrics.endToEndSeconds.observe({ provider: data.provider, path }, Math.max(0, Date.now() - data.receivedAt) / 1000);
}

function withoutPersonalData(data: WebhookJob): WebhookJob {
  return { ...data, payload: { ...data.payload, data: { id: data.objectId ?? null } } };
}
