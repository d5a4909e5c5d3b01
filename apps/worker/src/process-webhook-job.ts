import { errorMessage, type Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { webhookJobSchema, type WebhookJob } from "@wh/queue";
import { UnrecoverableError, type Job } from "bullmq";
import { applyWebhookEvent, type ApplyResult } from "./apply-webhook-event";
import type { WorkerMetrics } from "./worker-metrics";

export interface ProcessorDependencies {
  prisma: PrismaClient;
  log: Logger;
  metrics: WorkerMetrics;
  jobTimeoutMs: number;
  stripeLivemode: boolean;
}

/** The BullMQ processor of both webhook queues. Throws to retry; poison throws UnrecoverableError. */
export function createWebhookProcessor(deps: ProcessorDependencies) {
  return async (job: Job<WebhookJob>, _token?: string, signal?: AbortSignal): Promise<ApplyResult> => {
    const parsed = webhookJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`poison job data: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const data = parsed.data;
    const log = deps.log.child({ provider: data.provider, eventId: data.eventId, type: data.type });
    const timer = deps.metrics.processingSeconds.startTimer({ provider: data.provider });
    const result = await applyWebhookEvent(deps.prisma, data, {
      timeoutMs: deps.jobTimeoutMs,
      stripeLivemode: deps.stripeLivemode,
      attempt: job.attemptsMade + 1,
      signal,
    });
    timer();
    deps.metrics.processed.inc({ provider: data.provider, status: result.status });
    if (result.ignoredReason) deps.metrics.ignored.inc({ provider: data.provider, reason: result.ignoredReason });
    if (result.ignoredReason === "other_stripe_mode") {
      log.error(
        { livemode: data.payload.livemode, stripeLivemode: deps.stripeLivemode },
        "stripe event of the other mode ignored: check STRIPE_LIVEMODE, then replay the ignored events",
      );
    }
    log.info({ status: result.status, alreadySettled: result.alreadySettled, attempt: job.attemptsMade + 1 }, "event processed");
    if (data.provider === "clerk") {
      // Settled: a re-run is a no-op that needs ids only, so the job kept in Redis (for the
      // duplicate fast path) need not hold the user's email and names any longer.
      await job.updateData(withoutPersonalData(data)).catch((error: unknown) => {
        log.warn({ err: errorMessage(error) }, "could not strip personal data from job");
      });
    }
    return result;
  };
}

function withoutPersonalData(data: WebhookJob): WebhookJob {
  return { ...data, payload: { ...data.payload, data: { id: data.objectId ?? null } } };
}
