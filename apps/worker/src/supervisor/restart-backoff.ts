/** First restart delay of a process slot; it doubles with each quick death, up to `maxMs`. */
export const RESTART_BACKOFF = {
  initialMs: 1_000,
  maxMs: 30_000,
  /** A process that ran this long before it died was healthy: its slot starts over at `initialMs`. */
  healthyRunMs: 10_000,
};

/**
 * Consecutive quick deaths of one slot, counting the death just seen: a healthy run before it
 * starts the count over.
 */
export function nextDeathCount(previousDeaths: number, ranMs: number): number {
  return ranMs >= RESTART_BACKOFF.healthyRunMs ? 1 : previousDeaths + 1;
}

/** How long to wait before restarting a slot after its `deaths`-th quick death in a row. */
export function restartDelayMs(deaths: number): number {
  return Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.initialMs * 2 ** Math.max(0, deaths - 1));
}
