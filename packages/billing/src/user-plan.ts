import type { Tx } from "@wh/db";
import { isPlanId, type Plan, type PlanCatalog } from "./plan-catalog";

export interface BillingUser {
  id: string;
  currentPlan: string | null;
  deletedAt: Date | null;
}

export function findBillingUser(tx: Tx, clerkUserId: string): Promise<BillingUser | null> {
  return tx.user.findUnique({
    where: { clerkUserId },
    select: { id: true, currentPlan: true, deletedAt: true },
  });
}

export type PlanResolution =
  | { ok: true; plan: Plan }
  | { ok: false; reason: "user_deleted" | "no_plan" | "unknown_plan" };

/**
 * The plan a user's limits come from. A tombstone, a NULL `current_plan` and a plan id the catalog
 * does not know all mean no plan, and no plan means zero limits.
 */
export function planOfUser(user: BillingUser, catalog: PlanCatalog): PlanResolution {
  if (user.deletedAt !== null) return { ok: false, reason: "user_deleted" };
  if (user.currentPlan === null) return { ok: false, reason: "no_plan" };
  if (!isPlanId(user.currentPlan)) return { ok: false, reason: "unknown_plan" };
  return { ok: true, plan: catalog[user.currentPlan] };
}
