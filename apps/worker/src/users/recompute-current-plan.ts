import { bestPlan, subscriptionGrantsPlan } from "@wh/billing";
import type { Tx } from "../handlers/handler-types";

/**
 * `current_plan` is derived, never set by one event: the best plan among the user's granting
 * subscriptions, so a late event about an old subscription cannot clear a newer one. A deleted
 * user has no plan.
 */
export async function recomputeCurrentPlan(tx: Tx, userId: string): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { deletedAt: true, subscriptions: { select: { status: true, plan: true } } },
  });
  const plan = user.deletedAt
    ? null
    : bestPlan(user.subscriptions.filter((sub) => subscriptionGrantsPlan(sub.status)).map((sub) => sub.plan));
  await tx.user.update({ where: { id: userId }, data: { currentPlan: plan } });
}
