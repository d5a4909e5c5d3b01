import type { EventStatus } from "@wh/db";

/** Statuses that mean "this delivery has had its effect": a re-run must change nothing. */
export const SETTLED_STATUSES: ReadonlySet<EventStatus> = new Set<EventStatus>([
  "completed",
  "skipped_stale",
  "skipped_duplicate",
  "ignored",
]);
