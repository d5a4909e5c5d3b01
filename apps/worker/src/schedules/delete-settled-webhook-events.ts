import type { EventStatus, PrismaClient } from "@wh/db";
import { SETTLED_STATUSES } from "../ledger/ledger-statuses";

/** Providers re-deliver for up to 3 days (Stripe); a settled row must outlive that to dedupe them. */
export const MIN_RETENTION_DAYS = 3;

/**
 * Ledger rows that may go once old: the event had its effect (or never will). `dead` and `failed`
 * rows stay until replayed or explicitly discarded; `deferred` rows until their key appears or
 * the deferral horizon turns them `dead` (the row holds the only copy of the event).
 */
export const DELETABLE_STATUSES: readonly EventStatus[] = [...SETTLED_STATUSES];

export interface DeletedRows {
  deleted: number;
  batches: number;
}

/**
 * Deletes deletable ledger rows received before `before`, at most `batchSize` per statement. Each
 * statement commits on its own and skips rows another transaction holds (a worker re-processing
 * a delivery), so the table is never locked for long. Uses the (status, received_at) index.
 */
export async function deleteSettledWebhookEvents(
  prisma: PrismaClient,
  options: { before: Date; batchSize: number },
): Promise<DeletedRows> {
  const statuses = [...DELETABLE_STATUSES];
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const count = await prisma.$executeRaw`
      WITH doomed AS (
        SELECT id FROM webhook_events
        WHERE status = ANY(${statuses}::event_status[]) AND received_at < ${options.before.toISOString()}::timestamptz
        LIMIT ${options.batchSize}::int
        FOR UPDATE SKIP LOCKED
      )
      DELETE FROM webhook_events w USING doomed WHERE w.id = doomed.id`;
    deleted += count;
    batches += 1;
    if (count < options.batchSize) return { deleted, batches };
  }
}
