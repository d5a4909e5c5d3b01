import type { EventStatus } from "@wh/db";

/**
 * Statuses that mean "this delivery has had its effect": a re-run must change nothing. Not
 * settled: `failed` and `dead` (replayable), and `deferred` (waits for its key, then runs).
 */
export const SETTLED_STATUSES: ReadonlySet<EventStatus> = new Set<EventStatus>([
  "completed",
  "skipped_stale",
  "skipped_duplicate",
  "ignored",
]);
