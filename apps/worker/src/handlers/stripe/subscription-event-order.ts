/**
 * Ordering of Stripe subscription events. Stripe's `created` has one-second resolution and
 * delivery order is not guaranteed, so:
 * 1. a later `created` wins, unless the stored state is terminal (`canceled`,
 *    `incomplete_expired`): nothing follows those, so anything "newer" is a clock artefact;
 * 2. within the same second, the status that comes later in a subscription's life wins
 *    (incomplete → trialing → active → past_due → unpaid → canceled);
 * 3. then the later billing period end wins (a renewal follows the period it renews);
 * 4. then the greater event id: arbitrary but deterministic, so every order ends the same.
 */
const STATUS_PROGRESS: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  paused: 2,
  past_due: 3,
  unpaid: 4,
  incomplete_expired: 5,
  canceled: 6,
};

const TERMINAL = new Set(["canceled", "incomplete_expired"]);

export interface SubscriptionVersion {
  eventAt: Date;
  eventId: string;
  status: string;
  periodEnd: Date | null;
}

/** The version a stored subscription row is at. */
export function storedVersion(row: { lastEventAt: Date; lastEventId: string; status: string; currentPeriodEnd: Date | null }): SubscriptionVersion {
  return { eventAt: row.lastEventAt, eventId: row.lastEventId, status: row.status, periodEnd: row.currentPeriodEnd };
}

/** Whether `incoming` is newer than what is stored, i.e. should be applied over it. */
export function isNewerSubscriptionVersion(stored: SubscriptionVersion, incoming: SubscriptionVersion): boolean {
  if (TERMINAL.has(stored.status) && !TERMINAL.has(incoming.status)) return false;
  const byTime = incoming.eventAt.getTime() - stored.eventAt.getTime();
  if (byTime !== 0) return byTime > 0;
  const byStatus = (STATUS_PROGRESS[incoming.status] ?? 0) - (STATUS_PROGRESS[stored.status] ?? 0);
  if (byStatus !== 0) return byStatus > 0;
  const byPeriod = (incoming.periodEnd?.getTime() ?? 0) - (stored.periodEnd?.getTime() ?? 0);
  if (byPeriod !== 0) return byPeriod > 0;
  return incoming.eventId > stored.eventId;
}
