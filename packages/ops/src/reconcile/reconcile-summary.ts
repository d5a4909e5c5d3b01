import type { EventResult } from "../replay-ledger-event";

/**
 * Counts of one reconciliation run. `checked`: what the provider listed; `missing`: of those, what
 * the ledger never saw (Clerk: users newer than ours); `unsettled`: ledger rows whose effect did
 * not happen (dead, failed, ignored); `enqueued`: jobs added, retried or replaced (in a dry run,
 * that would be); `alreadyQueued`: a job of it still waits or runs; `skipped`: deferred rows (they
 * run by themselves when what they wait for appears) and deleted users; `errors`: could not be queued.
 */
export interface ReconcileSummary {
  checked: number;
  missing: number;
  unsettled: number;
  enqueued: number;
  alreadyQueued: number;
  skipped: number;
  errors: number;
}

export function emptyReconcileSummary(): ReconcileSummary {
  return { checked: 0, missing: 0, unsettled: 0, enqueued: 0, alreadyQueued: 0, skipped: 0, errors: 0 };
}

/** Adds what the replay planner did (or would do) with one delivery. */
export function countReconciled(summary: ReconcileSummary, result: EventResult): void {
  switch (result.outcome) {
    case "retried":
    case "re-added":
    case "replaced":
      summary.enqueued += 1;
      break;
    case "already-queued":
      summary.alreadyQueued += 1;
      break;
    case "deferred":
      summary.skipped += 1;
      break;
    case "error":
      summary.errors += 1;
      break;
    case "already-settled":
      break;
  }
}
