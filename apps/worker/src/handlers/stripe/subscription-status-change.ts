import type { Statement } from "@wh/db";
import { setPlanStatement } from "../../users/recompute-current-plan";
import type { InvoiceSubscription } from "./invoice-subscription-plan";
import { isNewerSubscriptionVersion, storedVersion } from "./subscription-event-order";

/** `kept`: the event is current, but `mayChange` refused to move the subscription from its status. */
export type StatusChange = "applied" | "unchanged" | "stale" | "kept";

/**
 * Moves a stored subscription to `status` on behalf of an invoice event, under the same ordering
 * rules as subscription events: the change counts as a subscription version at the invoice
 * event's time, so an older invoice event never overrides newer subscription state. `mayChange`,
 * asked only for a current event that would change the status, may keep the stored status.
 * `applied` comes with the writes: the subscription's status and watermark, and its owner's plan.
 */
export function subscriptionStatusChange(
  { stored, user, owned }: InvoiceSubscription,
  change: { status: string; eventAt: Date; eventId: string },
  mayChange: () => boolean = () => true,
): { change: StatusChange; writes: Statement[] } {
  const newer = isNewerSubscriptionVersion(
    storedVersion(stored),
    { eventAt: change.eventAt, eventId: change.eventId, status: change.status, periodEnd: stored.currentPeriodEnd },
  );
  if (!newer) return { change: "stale", writes: [] };
  if (stored.status === change.status) return { change: "unchanged", writes: [] };
  if (!mayChange()) return { change: "kept", writes: [] };
  return {
    change: "applied",
    writes: [
      {
        text: `UPDATE subscriptions SET status = $2, last_event_at = $3::timestamptz, last_event_id = $4, updated_at = now()
          WHERE stripe_subscription_id = $1`,
        values: [stored.stripeSubscriptionId, change.status, change.eventAt.toISOString(), change.eventId],
      },
      setPlanStatement(user, owned.map((row) => (row === stored ? { ...row, status: change.status } : row))),
    ],
  };
}
