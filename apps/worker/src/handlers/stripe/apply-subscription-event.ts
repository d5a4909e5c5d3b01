import { bestPlan } from "@wh/billing";
import { lockKeysStatement, type PipelinedTransaction } from "@wh/db";
import { customerWaitKey, subscriptionWaitKey } from "../../deferred/wait-key";
import { placeholderUserStatement, USER_BY_CLERK_ID } from "../../users/ensure-user";
import {
  lockedUserReads,
  setPlanStatement,
  USER_OF_SUBSCRIPTION,
  type LockedUser,
  type StoredSubscription,
} from "../../users/recompute-current-plan";
import type { PipelinedDecision, PipelinedHandler } from "../handler-types";
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

const USER_OF_CUSTOMER = "SELECT user_id FROM stripe_customers WHERE stripe_customer_id = $1";

/**
 * `customer.subscription.created|updated|deleted`: keeps the subscription row at the newest
 * version Stripe sent (see subscription-event-order.ts) and recomputes the user's plan. A new
 * subscription whose user is not known yet (no `clerk_user_id` metadata, customer not linked)
 * waits for the checkout that links its customer; storing a new subscription releases the
 * invoice events that waited for it.
 *
 * On the hot path: under the subscription's lock, the first exchange reads the stored row and,
 * under the owner's row lock, the owner's subscriptions; a known subscription is decided from
 * that and written with the ledger's settle (two round trips). A new one first finds or creates
 * its user under that user's row lock (three).
 */
export const applySubscriptionEvent: PipelinedHandler = (job, eventAt) => {
  const sub = stripeObject(job.payload, subscriptionSchema, "subscription");
  const state = subscriptionState(sub);
  const incoming = { eventAt, eventId: job.eventId, status: state.status, periodEnd: state.currentPeriodEnd };
  const watermark = [eventAt.toISOString(), job.eventId];
  return {
    locks: [subscriptionWaitKey(sub.id)],
    reads: lockedUserReads(USER_OF_SUBSCRIPTION, sub.id),
    decide: async (tx, [users, subscriptions]) => {
      const owned = subscriptions as StoredSubscription[];
      const stored = owned.find((row) => row.stripeSubscriptionId === sub.id);
      if (!stored) return applyNewSubscription(tx, sub, state, watermark);
      // The owner's row, read under its lock: the ledger records whose event this was.
      const userId = (users as LockedUser[])[0]?.id;
      const newer = isNewerSubscriptionVersion(storedVersion(stored), incoming);
      if (sameState(stored, state)) {
        const writes = newer
          ? [{ text: "UPDATE subscriptions SET last_event_at = $2::timestamptz, last_event_id = $3, updated_at = now() WHERE stripe_subscription_id = $1", values: [sub.id, ...watermark] }]
          : [];
        return { outcome: { status: "skipped_duplicate", reason: "identical subscription snapshot", userId }, writes };
      }
      if (!newer) return { outcome: { status: "skipped_stale", reason: `older than ${stored.lastEventId}`, userId }, writes: [] };
      const after = owned.map((row) => (row === stored ? state : row));
      return {
        outcome: { status: "completed", userId },
        writes: [
          {
            text: `UPDATE subscriptions SET status = $2, plan = $3, current_period_start = $4::timestamptz,
              current_period_end = $5::timestamptz, cancel_at_period_end = $6, last_event_at = $7::timestamptz,
              last_event_id = $8, updated_at = now() WHERE stripe_subscription_id = $1`,
            values: [sub.id, ...stateValues(state), ...watermark],
          },
          setPlanStatement((users as LockedUser[])[0]!, after),
        ],
      };
    },
  };
};

const stateValues = (state: SubscriptionState): unknown[] => [
  state.status,
  state.plan,
  state.currentPeriodStart?.toISOString() ?? null,
  state.currentPeriodEnd?.toISOString() ?? null,
  state.cancelAtPeriodEnd,
];

/**
 * A subscription not stored yet: its user by Clerk id from metadata (a placeholder user when
 * Clerk has not told us yet), else through the customer link under the customer's wait-key lock
 * (see linkCustomerStatements); deferred when neither exists.
 */
async function applyNewSubscription(
  tx: PipelinedTransaction,
  sub: StripeSubscription,
  state: SubscriptionState,
  watermark: unknown[],
): Promise<PipelinedDecision> {
  const customerId = expandableId(sub.customer) ?? "";
  const clerkUserId = sub.metadata?.clerk_user_id;
  const [users, subscriptions] = clerkUserId
    ? (await tx.exchange([placeholderUserStatement(clerkUserId), ...lockedUserReads(USER_BY_CLERK_ID, clerkUserId)])).slice(1)
    : (await tx.exchange([lockKeysStatement([customerWaitKey(customerId)]), ...lockedUserReads(USER_OF_CUSTOMER, customerId)])).slice(1);
  const user = (users as LockedUser[])[0];
  if (!user) {
    return {
      outcome: { status: "deferred", reason: `customer ${customerId} is not linked to a user yet`, waitKey: customerWaitKey(customerId) },
      writes: [],
    };
  }
  return {
    outcome: { status: "completed", provides: subscriptionWaitKey(sub.id), userId: user.id },
    writes: [
      {
        text: `INSERT INTO subscriptions (id, stripe_subscription_id, user_id, stripe_customer_id, status, plan,
            current_period_start, current_period_end, cancel_at_period_end, last_event_at, last_event_id, updated_at)
          VALUES (gen_random_uuid(), $1, $2::uuid, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8, $9::timestamptz, $10, now())`,
        values: [sub.id, user.id, customerId, ...stateValues(state), ...watermark],
      },
      setPlanStatement(user, [...(subscriptions as SubscriptionState[]), state]),
    ],
  };
}
