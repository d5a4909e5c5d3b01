import { lockKey } from "@wh/db";
import { subscriptionWaitKey } from "../../deferred/wait-key";
import { recomputeCurrentPlan } from "../../users/recompute-current-plan";
import type { DeferredOutcome, Tx } from "../handler-types";
import { isNewerSubscriptionVersion, storedVersion } from "./subscription-event-order";

export type StatusChange = "applied" | "unchanged" | "stale";

/** What an invoice event reads of its subscription. */
export interface StoredSubscription {
  id: string;
  userId: string;
  status: string;
  lastEventAt: Date;
  lastEventId: string;
  currentPeriodEnd: Date | null;
}

/**
 * The subscription an invoice event is about, under its wait-key lock (which the subscription
 * event that stores it holds too). `deferred` when it is not stored yet: Stripe does not
 * guarantee that `customer.subscription.created` arrives first, so the invoice event waits for it.
 */
export async function lockInvoiceSubscription(
  tx: Tx,
  subscriptionId: string,
): Promise<{ stored: StoredSubscription } | { deferred: DeferredOutcome }> {
  const waitKey = subscriptionWaitKey(subscriptionId);
  await lockKey(tx, waitKey);
  const stored = await tx.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } });
  if (stored) return { stored };
  return { deferred: { status: "deferred", reason: `subscription ${subscriptionId} is not stored yet`, waitKey } };
}

/**
 * Moves a stored subscription to `status` on behalf of an invoice event, under the same ordering
 * rules as subscription events: the change counts as a subscription version at the invoice
 * event's time, so an older invoice event never overrides newer subscription state.
 */
export async function applySubscriptionStatus(
  tx: Tx,
  stored: StoredSubscription,
  change: { status: string; eventAt: Date; eventId: string },
): Promise<StatusChange> {
  const newer = isNewerSubscriptionVersion(
    storedVersion(stored),
    { eventAt: change.eventAt, eventId: change.eventId, status: change.status, periodEnd: stored.currentPeriodEnd },
  );
  if (!newer) return "stale";
  if (stored.status === change.status) return "unchanged";
  await tx.subscription.update({
    where: { id: stored.id },
    data: { status: change.status, lastEventAt: change.eventAt, lastEventId: change.eventId },
  });
  await recomputeCurrentPlan(tx, stored.userId);
  return "applied";
}
