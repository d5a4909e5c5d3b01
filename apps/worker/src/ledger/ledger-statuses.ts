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

/**
 * Settled statuses a re-run leaves alone. `ignored` is settled (nothing to retry; the cleanup may
 * delete it) but not final: an ignored event had no effect, so running it again — a replay after
 * STRIPE_LIVEMODE was fixed, or a provider's re-delivery — evaluates it afresh. Exactly once still
 * holds: the re-run happens under the delivery's lock, and once it applies, the row is
 * `completed` and every later run is a no-op.
 */
export const FINAL_STATUSES: ReadonlySet<EventStatus> = new Set<EventStatus>(
  [...SETTLED_STATUSES].filter((status) => status !== "ignored"),
);
