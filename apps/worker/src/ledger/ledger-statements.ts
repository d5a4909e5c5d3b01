import type { Statement } from "@wh/db";
import { stripeCustomerOf, type WebhookJob } from "@wh/queue";
import type { HandlerOutcome } from "../handlers/handler-types";

/** The advisory lock that serializes every run of one delivery. */
export const deliveryLockKey = (job: WebhookJob): string => `webhook_event:${job.provider}:${job.eventId}`;

/** The delivery's ledger status, if it has a row. */
export function ledgerStatusStatement(job: WebhookJob): Statement {
  return {
    text: "SELECT status::text AS status FROM webhook_events WHERE provider = $1::provider AND event_id = $2",
    values: [job.provider, job.eventId],
  };
}

/**
 * Settles the delivery's ledger row with the outcome of this run, in the run's transaction. A
 * failed attempt may have stored the full payload; a redacting outcome replaces it. The user and
 * the Stripe customer are recorded so operators can find one customer's events.
 */
export function settleStatement(job: WebhookJob, outcome: HandlerOutcome, attempt: number): Statement {
  const redact = outcome.status !== "deferred" && outcome.redactPayload === true;
  const payload = redact ? { ...job.payload, data: { id: job.objectId ?? null } } : job.payload;
  return {
    text: `INSERT INTO webhook_events
        (provider, event_id, type, status, attempts, last_error, object_id, event_created_at, received_at, processed_at, payload, wait_key,
         user_id, stripe_customer_id)
      VALUES ($1::provider, $2, $3, $4::event_status, $5, $6, $7, $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::jsonb, $12,
        $13::uuid, $14)
      ON CONFLICT (provider, event_id) DO UPDATE SET
        type = EXCLUDED.type, status = EXCLUDED.status, attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
        object_id = EXCLUDED.object_id, processed_at = EXCLUDED.processed_at, wait_key = EXCLUDED.wait_key,
        user_id = EXCLUDED.user_id, stripe_customer_id = EXCLUDED.stripe_customer_id
        ${redact ? ", payload = EXCLUDED.payload" : ""}`,
    values: [
      job.provider,
      job.eventId,
      job.type,
      outcome.status,
      attempt,
      outcome.reason ?? null,
      job.objectId ?? null,
      new Date(job.eventCreatedAt).toISOString(),
      new Date(job.receivedAt).toISOString(),
      new Date().toISOString(),
      JSON.stringify(payload),
      outcome.status === "deferred" ? outcome.waitKey : null,
      outcome.status === "deferred" ? null : (outcome.userId ?? null),
      stripeCustomerOf(job),
    ],
  };
}
