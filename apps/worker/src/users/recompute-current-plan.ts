import { bestPlan, subscriptionGrantsPlan } from "@wh/billing";
import type { Statement } from "@wh/db";

/**
 * `current_plan` is derived, never set by one event: the best plan among the user's granting
 * subscriptions, so a late event about an old subscription cannot clear a newer one. A deleted
 * user has no plan. A granting subscription whose price has no plan of our catalog keeps its raw
 * lookup key, so the validator denies with "unknown plan" (a misconfigured price is visible,
 * not mistaken for a user who does not pay).
 *
 * The user row is locked first (FOR NO KEY UPDATE: it does not conflict with the key-share locks
 * that foreign-key checks take), so concurrent events about different subscriptions of one user,
 * or a concurrent `user.deleted`, are applied one after the other, each seeing the other's result.
 */

/** The user whose plan is recomputed, read under its row lock. */
export interface LockedUser {
  id: string;
  deletedAt: Date | null;
}

/** A subscription row as the handlers read it: state, owner's plan input and watermark. */
export interface StoredSubscription {
  stripeSubscriptionId: string;
  status: string;
  plan: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  lastEventAt: Date;
  lastEventId: string;
}

const SUBSCRIPTION_COLUMNS = `stripe_subscription_id AS "stripeSubscriptionId", status, plan,
  current_period_start AS "currentPeriodStart", current_period_end AS "currentPeriodEnd",
  cancel_at_period_end AS "cancelAtPeriodEnd", last_event_at AS "lastEventAt", last_event_id AS "lastEventId"`;

/** SQL giving the id of the user who owns the stored subscription $1. */
export const USER_OF_SUBSCRIPTION = "SELECT user_id FROM subscriptions WHERE stripe_subscription_id = $1";

/**
 * The user row locked FOR NO KEY UPDATE, then (a later statement, so a snapshot taken after the
 * lock) every subscription of that user: what the plan is recomputed from, as two statements that
 * ride in one exchange. `userOf` is SQL giving the user's id from parameter $1.
 */
export function lockedUserReads(userOf: string, param: string): Statement[] {
  return [
    { text: `SELECT id, deleted_at AS "deletedAt" FROM users WHERE id = (${userOf}) FOR NO KEY UPDATE`, values: [param] },
    { text: `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = (${userOf})`, values: [param] },
  ];
}

/** Sets the plan of a user read by lockedUserReads, from its subscriptions as this event leaves them. */
export function setPlanStatement(user: LockedUser, subscriptions: { status: string; plan: string | null }[]): Statement {
  return {
    text: "UPDATE users SET current_plan = $2, updated_at = now() WHERE id = $1::uuid",
    values: [user.id, currentPlanOf(user.deletedAt, subscriptions)],
  };
}

/** The plan a user has with these subscriptions (see above). */
export function currentPlanOf(deletedAt: Date | null, subscriptions: { status: string; plan: string | null }[]): string | null {
  if (deletedAt) return null;
  const granting = subscriptions.filter((sub) => subscriptionGrantsPlan(sub.status)).map((sub) => sub.plan);
  return bestPlan(granting) ?? granting.find((key) => key !== null) ?? null;
}
