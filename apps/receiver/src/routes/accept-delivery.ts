import type { Logger } from "@wh/core";
import { QueueUnavailableError, type WebhookJob, type WebhookProducer } from "@wh/queue";
import type { VerificationResult } from "@wh/webhooks";
import type { Response } from "express";
import type { ReceiverMetrics } from "../receiver-metrics";
import { rejectionResponse } from "./rejection-response";

export interface DeliveryContext {
  producer: WebhookProducer;
  metrics: ReceiverMetrics;
  log: Logger;
}

/**
 * Shared tail of both webhook routes: refuse what failed verification, otherwise enqueue and
 * answer 200 only once Redis holds the job (503 when it cannot, so the provider retries).
 */
export async function acceptDelivery<E>(
  context: DeliveryContext,
  res: Response,
  provider: WebhookJob["provider"],
  result: VerificationResult<E>,
  toJob: (event: E) => WebhookJob,
): Promise<void> {
  const { producer, metrics, log } = context;
  if (!result.ok) {
    metrics.deliveries.inc({ provider, outcome: result.reason });
    log.warn({ provider, reason: result.reason }, "webhook rejected");
    const { status, error } = rejectionResponse(result.reason);
    res.status(status).json({ error });
    return;
  }
  const job = toJob(result.event);
  const timer = metrics.enqueueSeconds.startTimer({ provider });
  try {
    const outcome = await producer.enqueue(job);
    timer();
    metrics.deliveries.inc({ provider, outcome });
    log.info({ provider, eventId: job.eventId, type: job.type, outcome }, "webhook accepted");
    res.status(200).json({ received: true });
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    metrics.deliveries.inc({ provider, outcome: "queue_unavailable" });
    log.error({ provider, eventId: job.eventId, err: error.message }, "queue unavailable, asking provider to retry");
    res.status(503).set("Retry-After", "5").json({ error: "temporarily unavailable" });
  }
}
