import { webhookJobSchema, type WebhookJob } from "./webhook-job";

/** The fields of a `webhook_events` row a job is rebuilt from. */
export interface LedgerRowJobFields {
  provider: string;
  eventId: string;
  type: string;
  objectId: string | null;
  eventCreatedAt: Date;
  receivedAt: Date;
  payload: unknown;
}

export class StoredPayloadError extends Error {
  override readonly name = "StoredPayloadError";
}

/** The job the receiver enqueued for a delivery, rebuilt from its ledger row (replay, deferred events). */
export function jobFromLedgerRow(row: LedgerRowJobFields): WebhookJob {
  const parsed = webhookJobSchema.safeParse({
    provider: row.provider,
    eventId: row.eventId,
    type: row.type,
    objectId: row.objectId ?? undefined,
    eventCreatedAt: row.eventCreatedAt.getTime(),
    receivedAt: row.receivedAt.getTime(),
    payload: row.payload,
  });
  if (!parsed.success) {
    // Paths and messages only: a payload value may hold personal data.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(row)"}: ${issue.message}`);
    throw new StoredPayloadError(`ledger row cannot be turned into a job: ${issues.join("; ")}`);
  }
  return parsed.data;
}
