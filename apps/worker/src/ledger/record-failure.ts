import type { PrismaClient } from "@wh/db";
import { stripeCustomerOf, type WebhookJob } from "@wh/queue";

export interface FailureRecord {
  attempts: number;
  error: string;
  /** No attempt is left (or the input is poison): the event is dead until replayed. */
  dead: boolean;
}

/**
 * Writes a failed attempt to the ledger, outside the transaction that failed (its writes were
 * rolled back). Never overwrites a settled row: a late failure report cannot undo a success.
 */
export async function recordFailure(prisma: PrismaClient, job: WebhookJob, failure: FailureRecord): Promise<void> {
  const status = failure.dead ? "dead" : "failed";
  const error = failure.error.slice(0, 2_000);
  await prisma.$executeRaw`
    INSERT INTO webhook_events
      (provider, event_id, type, status, attempts, last_error, object_id, stripe_customer_id, event_created_at, received_at, payload)
    VALUES
      (${job.provider}::provider, ${job.eventId}, ${job.type}, ${status}::event_status, ${failure.attempts}, ${error},
       ${job.objectId ?? null}, ${stripeCustomerOf(job)}, ${new Date(job.eventCreatedAt)}, ${new Date(job.receivedAt)},
       ${JSON.stringify(job.payload)}::jsonb)
    ON CONFLICT (provider, event_id) DO UPDATE SET
      status = EXCLUDED.status, attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error
    WHERE webhook_events.status IN ('failed', 'dead')`;
}

