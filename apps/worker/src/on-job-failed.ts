import { errorMessage, type Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { webhookJobSchema, type WebhookJob } from "@wh/queue";
import type { Job } from "bullmq";
import { recordFailure } from "./ledger/record-failure";
import type { WorkerMetrics } from "./worker-metrics";

/**
 * BullMQ's `failed` event, for every failed attempt (including lost locks and stalls, which
 * never reach the processor's code): the ledger row shows the attempt count and the error, and
 * a dead event is logged and counted so an alert can fire.
 */
export function onJobFailed(deps: { prisma: PrismaClient; log: Logger; metrics: WorkerMetrics }) {
  return async (job: Job<WebhookJob> | undefined, error: Error): Promise<void> => {
    if (!job) return;
    const parsed = webhookJobSchema.safeParse(job.data);
    const provider = parsed.success ? parsed.data.provider : "unknown";
    const dead = error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    const log = deps.log.child({ provider, eventId: parsed.success ? parsed.data.eventId : job.id, type: job.name });
    deps.metrics.failedAttempts.inc({ provider });
    if (dead) {
      deps.metrics.dead.inc({ provider, type: job.name });
      log.error({ attempts: job.attemptsMade, err: errorMessage(error), alert: "webhook_event_dead" }, "event dead");
    } else {
      log.warn({ attempts: job.attemptsMade, err: errorMessage(error) }, "event attempt failed, will retry");
    }
    if (!parsed.success) return;
    await recordFailure(deps.prisma, parsed.data, { attempts: job.attemptsMade, error: errorMessage(error), dead }).catch(
      (writeError: unknown) => log.warn({ err: errorMessage(writeError) }, "could not record failure in ledger"),
    );
  };
}
