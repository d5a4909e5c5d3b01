import { bestPlan, subscriptionGrantsPlan } from "@wh/billing";
import type { Tx } from "../handlers/handler-types";

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
export async function recomputeCurrentPlan(tx: Tx, userId: string): Promise<void> {
  const [user] = await tx.$queryRaw<{ deleted_at: Date | null }[]>`
    SELECT deleted_at FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
  if (!user) throw new Error(`user ${userId} vanished while its plan was recomputed`);
  const subscriptions = await tx.subscription.findMany({ where: { userId }, select: { status: true, plan: true } });
  await tx.user.update({ where: { id: userId }, data: { currentPlan: currentPlanOf(user.deleted_at, subscriptions) } });
}

/** The plan a user has with these subscriptions (see recomputeCurrentPlan). */
export function currentPlanOf(deletedAt: Date | null, subscriptions: { status: string; plan: string | null }[]): string | null {
  if (deletedAt) return null;
  const granting = subscriptions.filter((sub) => subscriptionGrantsPlan(sub.status)).map((sub) => sub.plan);
  return bestPlan(granting) ?? granting.find((key) => key !== null) ?? null;
}
