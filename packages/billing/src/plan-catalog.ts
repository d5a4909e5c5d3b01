/**
 * The plans we sell. A plan id equals the Stripe price's `lookup_key`. `rank` orders plans when a
 * user holds several granting subscriptions: the best one wins.
 */
export const PLAN_IDS = ["starter", "pro", "business"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface Plan {
  id: PlanId;
  rank: number;
}

export const PLANS: Record<PlanId, Plan> = {
  starter: { id: "starter", rank: 1 },
  pro: { id: "pro", rank: 2 },
  business: { id: "business", rank: 3 },
};

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === "string" && (PLAN_IDS as readonly string[]).includes(value);
}

/** The best plan among candidates; unknown ids never win. `null` = no plan = no limits. */
export function bestPlan(candidates: readonly (string | null)[]): PlanId | null {
  let best: Plan | null = null;
  for (const candidate of candidates) {
    if (!isPlanId(candidate)) continue;
    const plan = PLANS[candidate];
    if (!best || plan.rank > best.rank) best = plan;
  }
  return best?.id ?? null;
}
