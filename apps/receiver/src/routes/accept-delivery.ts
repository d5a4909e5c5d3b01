import type { Logger } from "@wh/core";
import { QueueUnavailableError, type WebhookJob, type WebhookProducer } from "@wh/queue";
import type { VerificationResult } from "@wh/webhooks";
import type { ReceiverMetrics } from "../receiver-metrics";
import { rejectionResponse } from "./rejection-response";
import type { WebhookAnswer } from "./webhook-answer";

export interface DeliveryContext {
  producer: WebhookProducer;
  metrics: ReceiverMetrics;
  log: Logger;
}

/**
 * Shared tail of both webhook routes: refuse what failed verification, otherwise enqueue and
 * answer 200 only once Redis holds the job (503 when it cannot, so the provider retries).
 * An accepted delivery logs at debug only: the metrics count them, a line each would cost the
 * hot path; refusals and outages keep their warn/error lines.
 */
export async function acceptDelivery<E>(
  context: DeliveryContext,
  provider: WebhookJob["provider"],
  result: VerificationResult<E>,
  toJob: (event: E) => WebhookJob,
): Promise<WebhookAnswer> {
  const { producer, metrics, log } = context;
  if (!result.ok) {
    metrics.deliveries.inc({ provider, outcome: result.reason });
    log.warn({ provider, reason: result.reason }, "webhook rejected");
    const { status, error } = rejectionResponse(result.reason);
    return { status, body: { error } };
  }
  const job = toJob(result.event);
  const timer = metrics.enqueueSeconds.startTimer({ provider });
  try {
    const outcome = await producer.enqueue(job);
    timer();
    metrics.deliveries.inc({ provider, outcome });
    log.debug({ provider, eventId: job.eventId, type: job.type, outcome }, "webhook accepted");
    return { status: 200, body: { received: true } };
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    metrics.deliveries.inc({ provider, outcome: "queue_unavailable" });
    log.error({ provider, eventId: job.eventId, err: error.message }, "queue unavailable, asking provider to retry");
    return { status: 503, body: { error: "temporarily unavailable" }, headers: { "Retry-After": "5" } };
  }
}
