import type { EventResult } from "./replay-ledger-event";

/** Counts of one replay run; `selected` is every row looked at, the others add up to it. */
export interface ReplayTally {
  selected: number;
  retried: number;
  reAdded: number;
  /** A job failing verification held the id; it was removed and the signed job added instead. */
  replaced: number;
  alreadyQueued: number;
  alreadySettled: number;
  deferred: number;
  errors: number;
}

export function emptyTally(): ReplayTally {
  return { selected: 0, retried: 0, reAdded: 0, replaced: 0, alreadyQueued: 0, alreadySettled: 0, deferred: 0, errors: 0 };
}

export function countResult(tally: ReplayTally, result: EventResult): void {
  tally.selected += 1;
  switch (result.outcome) {
    case "retried":
      tally.retried += 1;
      break;
    case "re-added":
      tally.reAdded += 1;
      break;
    case "replaced":
      tally.replaced += 1;
      break;
    case "already-queued":
      tally.alreadyQueued += 1;
      break;
    case "already-settled":
      tally.alreadySettled += 1;
      break;
    case "deferred":
      tally.deferred += 1;
      break;
    case "error":
      tally.errors += 1;
      break;
  }
}
