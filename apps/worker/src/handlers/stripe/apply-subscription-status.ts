import { recomputeCurrentPlan } from "../../users/recompute-current-plan";
import type { Tx } from "../handler-types";
import { isNewerSubscriptionVersion, storedVersion } from "./subscription-event-order";
import { SubscriptionNotKnownError } from "./subscription-not-known-error";

/** `kept`: the event is current, but `mayChange` refused to move the subscription from its status. */
export type StatusChange = "applied" | "unchanged" | "stale" | "kept";

export interface StoredSubscription {
  stripeSubscriptionId: string;
  status: string;
  lastEventAt: Date;
}

/**
 * Moves a stored subscription to `status` on behalf of an invoice event, under the same ordering
 * rules as subscription events: the change counts as a subscription version at the invoice
 * event's time, so an older invoice event never overrides newer subscription state. `mayChange`,
 * asked only for a current event that would change the status, may keep the stored status.
 */
export async function applySubscriptionStatus(
  tx: Tx,
  change: { subscriptionId: string; status: string; eventAt: Date; eventId: string },
  mayChange?: (stored: StoredSubscription) => Promise<boolean>,
): Promise<StatusChange> {
  const stored = await tx.subscription.findUnique({ where: { stripeSubscriptionId: change.subscriptionId } });
  if (!stored) throw new SubscriptionNotKnownError(`subscription ${change.subscriptionId} is not stored yet`);
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
