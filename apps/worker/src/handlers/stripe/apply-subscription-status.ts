import { recomputeCurrentPlan } from "../../users/recompute-current-plan";
import type { Tx } from "../handler-types";
import type { StoredSubscription } from "./lock-invoice-subscription";
import { isNewerSubscriptionVersion, storedVersion } from "./subscription-event-order";

/** `kept`: the event is current, but `mayChange` refused to move the subscription from its status. */
export type StatusChange = "applied" | "unchanged" | "stale" | "kept";

/**
 * Moves a stored subscription to `status` on behalf of an invoice event, under the same ordering
 * rules as subscription events: the change counts as a subscription version at the invoice
 * event's time, so an older invoice event never overrides newer subscription state. `mayChange`,
 * asked only for a current event that would change the status, may keep the stored status.
 */
export async function applySubscriptionStatus(
  tx: Tx,
  stored: StoredSubscription,
  change: { status: string; eventAt: Date; eventId: string },
  mayChange?: (stored: StoredSubscription) => Promise<boolean>,
): Promise<StatusChange> {
  const newer = isNewerSubscriptionVersion(
    storedVersion(stored),
    { eventAt: change.eventAt, eventId: change.eventId, status: change.status, periodEnd: stored.currentPeriodEnd },
  );
  if (!newer) return "stale";
  if (stored.status === change.status) return "unchanged";
  if (mayChange && !(await mayChange(stored))) return "kept";
  await tx.subscription.update({
    where: { id: stored.id },
    data: { status: change.status, lastEventAt: change.eventAt, lastEventId: change.eventId },
  });
  await recomputeCurrentPlan(tx, stored.userId);
  return "applied";
}
