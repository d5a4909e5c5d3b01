import type { LedgerEvent } from "@wh/ops";

export interface LedgerEventJson {
  id: string;
  provider: string;
  eventId: string;
  type: string;
  status: string;
  objectId: string | null;
  userId: string | null;
  customerId: string | null;
  attempts: number;
  lastError: string | null;
  eventCreatedAt: string;
  receivedAt: string;
  processedAt: string | null;
  /** The stored (minimized) payload: in the detail view only. */
  payload?: unknown;
}

/** A ledger row as the admin API shows it (JSON has no bigint). `payload` only where asked for. */
export function ledgerEventJson(row: LedgerEvent, options: { payload: boolean }): LedgerEventJson {
  return {
    id: row.id.toString(),
    provider: row.provider,
    eventId: row.eventId,
    type: row.type,
    status: row.status,
    objectId: row.objectId,
    userId: row.userId,
    customerId: row.stripeCustomerId,
    attempts: row.attempts,
    lastError: row.lastError,
    eventCreatedAt: row.eventCreatedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
    ...(options.payload ? { payload: row.payload } : {}),
  };
}
