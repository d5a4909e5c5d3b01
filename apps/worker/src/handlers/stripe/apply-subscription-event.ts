import { lockKey } from "@wh/db";
import { bestPlan } from "@wh/billing";
import { customerWaitKey, subscriptionWaitKey } from "../../deferred/wait-key";
import { recomputeCurrentPlan } from "../../users/recompute-current-plan";
import { resolveStripeUser } from "../../users/stripe-customer-link";
import { COMPLETED, type EventHandler } from "../handler-types";
import { expandableId, stripeObject, subscriptionSchema, type StripeSubscription } from "./stripe-payloads";
import { isNewerSubscriptionVersion, storedVersion } from "./subscription-event-order";

interface SubscriptionState {
  status: string;
  plan: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

const seconds = (value: number | null | undefined): Date | null =>
  value === null || value === undefined ? null : new Date(value * 1000);

/** The state we keep, from either payload shape (period on the subscription, or on its items). */
function subscriptionState(sub: StripeSubscription): SubscriptionState {
  const item = sub.items.data[0];
  const lookupKeys = sub.items.data.map((entry) => entry.price.lookup_key ?? null);
  return {
    status: sub.status,
    plan: bestPlan(lookupKeys) ?? lookupKeys.find((key) => key !== null) ?? null,
    currentPeriodStart: seconds(sub.current_period_start ?? item?.current_period_start),
    currentPeriodEnd: seconds(sub.current_period_end ?? item?.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
  };
}

function sameState(a: SubscriptionState, b: SubscriptionState): boolean {
  return (
    a.status === b.status &&
    a.plan === b.plan &&
    a.currentPeriodStart?.getTime() === b.currentPeriodStart?.getTime() &&
    a.currentPeriodEnd?.getTime() === b.currentPeriodEnd?.getTime() &&
    a.cancelAtPeriodEnd === b.cancelAtPeriodEnd
  );
}

/**
 * `customer.subscription.created|updated|deleted`: keeps the subscription row at the newest
 * version Stripe sent (see subscription-event-order.ts) and recomputes the user's plan. A new
 * subscription whose user is not known yet (no `clerk_user_id` metadata, customer not linked)
 * waits for the checkout that links its customer; storing a new subscription releases the
 * invoice events that waited for it.
 */
export const applySubscriptionEvent: EventHandler = async ({ tx, job, eventAt }) => {
  const sub = stripeObject(job.payload, subscriptionSchema, "subscription");
  const state = subscriptionState(sub);
  await lockKey(tx, subscriptionWaitKey(sub.id));

  const stored = await tx.subscription.findUnique({ where: { stripeSubscriptionId: sub.id } });
  if (stored) {
    const newer = isNewerSubscriptionVersion(
      storedVersion(stored),
      { eventAt, eventId: job.eventId, status: state.status, periodEnd: state.currentPeriodEnd },
    );
    if (sameState(stored, state)) {
      if (newer) {
        await tx.subscription.update({ where: { id: stored.id }, data: { lastEventAt: eventAt, lastEventId: job.eventId } });
      }
      return { status: "skipped_duplicate", reason: "identical subscription snapshot", userId: stored.userId };
    }
    if (!newer) return { status: "skipped_stale", reason: `older than ${stored.lastEventId}`, userId: stored.userId };
  }

  const customerId = expandableId(sub.customer) ?? "";
  const userId = stored ? stored.userId : (await resolveStripeUser(tx, { clerkUserId: sub.metadata?.clerk_user_id, customerId }))?.id;
  if (!userId) {
    return { status: "deferred", reason: `customer ${customerId} is not linked to a user yet`, waitKey: customerWaitKey(customerId) };
  }
  const watermark = { lastEventAt: eventAt, lastEventId: job.eventId };
  await tx.subscription.upsert({
    where: { stripeSubscriptionId: sub.id },
    create: { stripeSubscriptionId: sub.id, userId, stripeCustomerId: customerId, ...state, ...watermark },
    update: { ...state, ...watermark },
  });
  await recomputeCurrentPlan(tx, userId);
  return stored ? { ...COMPLETED, userId } : { status: "completed", provides: subscriptionWaitKey(sub.id), userId };
};
