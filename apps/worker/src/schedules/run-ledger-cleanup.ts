import { deleteExpiredIdempotencyKeys } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { UnrecoverableError } from "bullmq";
import { deleteSettledWebhookEvents, MIN_RETENTION_DAYS } from "./delete-settled-webhook-events";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LedgerCleanupSettings {
  retentionDays: number;
  batchSize: number;
}

export interface LedgerCleanupSummary {
  cutoff: string;
  webhookEventsDeleted: number;
  idempotencyKeysDeleted: number;
}

/**
 * The daily cleanup: settled webhook_events rows older than the retention, and expired
 * Idempotency-Keys of the usage API. Safe to run on several workers at once (SKIP LOCKED).
 */
export async function runLedgerCleanup(
  deps: { prisma: PrismaClient; log: Logger; clock: () => Date },
  settings: LedgerCleanupSettings,
): Promise<LedgerCleanupSummary> {
  if (settings.retentionDays < MIN_RETENTION_DAYS) {
    throw new UnrecoverableError(`retention of ${settings.retentionDays} days is below the providers' retry window`);
  }
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - settings.retentionDays * DAY_MS);
  const events = await deleteSettledWebhookEvents(deps.prisma, { before: cutoff, batchSize: settings.batchSize });
  const keys = await deleteExpiredIdempotencyKeys(deps.prisma, { now, batchSize: settings.batchSize });
  const summary = {
    cutoff: cutoff.toISOString(),
    webhookEventsDeleted: events.deleted,
    idempotencyKeysDeleted: keys,
  };
  deps.log.info({ ...summary, batches: events.batches, retentionDays: settings.retentionDays }, "ledger cleanup done");
  return summary;
}
