import { errorMessage, type Logger } from "@wh/core";
import { isDatabaseUnavailable, type PrismaClient } from "@wh/db";
import { checkJobSignature, webhookJobSchema, type JobSigningKeys, type WebhookJob } from "@wh/queue";
import type { Job } from "bullmq";
import { isFinalFailure } from "./is-final-failure";
import { recordFailure } from "./ledger/record-failure";
import { reportDeadEvent } from "./report-dead-event";
import type { WorkerMetrics } from "./worker-metrics";

/**
 * BullMQ's `failed` event, for every failed attempt (including lost locks and stalls, which
 * never reach the processor's code): the ledger row shows the attempt count and the error, and
 * a dead event is logged and counted so an alert can fire. A job that fails verification gets
 * nothing: the processor refused, logged and counted it, and its payload must not reach the ledger.
 */
export function onJobFailed(deps: {
  prisma: PrismaClient;
  log: Logger;
  metrics: WorkerMetrics;
  signingKeys: JobSigningKeys;
  /** While Postgres is unreachable, a dead event's ledger row is retried this often… */
  deadRowRetryMs?: number;
  /** …this many times, so that replay (which reads the ledger) can find it once Postgres is back. */
  deadRowRetries?: number;
}) {
  const retryMs = deps.deadRowRetryMs ?? 5_000;
  const retries = deps.deadRowRetries ?? 120;
  return async (job: Job<WebhookJob> | undefined, error: Error): Promise<void> => {
    if (!job || !checkJobSignature(job.data, deps.signingKeys).ok) return;
    const parsed = webhookJobSchema.safeParse(job.data);
    const provider = parsed.success ? parsed.data.provider : "unknown";
    const dead = isFinalFailure(job, error);
    const log = deps.log.child({ provider, eventId: parsed.success ? parsed.data.eventId : job.id, type: job.name });
    deps.metrics.failedAttempts.inc({ provider });
    if (dead) {
      reportDeadEvent(log, deps.metrics, { provider, type: job.name, attempts: job.attemptsMade, err: errorMessage(error) });
    } else {
      log.warn({ attempts: job.attemptsMade, err: errorMessage(error) }, "event attempt failed, will retry");
    }
    if (!parsed.success) return;
    const failure = { attempts: job.attemptsMade, error: errorMessage(error), dead };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await recordFailure(deps.prisma, parsed.data, failure);
        return;
      } catch (writeError) {
        // A retried event gets another chance to write; a dead one does not, so keep trying.
        const retry = dead && attempt < retries && isDatabaseUnavailable(writeError);
        log.warn({ err: errorMessage(writeError), retryInMs: retry ? retryMs : undefined }, "could not record failure in ledger");
        if (!retry) return;
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
      }
    }
  };
}
