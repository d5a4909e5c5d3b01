/**
 * The plans we sell. A plan id equals the Stripe price's `lookup_key`. `rank` orders plans when a
 * user holds several granting subscriptions: the best one wins.
 *
 * Each plan has monthly limits per metered metric (counted per billing period and started afresh
 * by the monthly reset) and caps on things a user holds at once (never reset: a user keeps their
 * lists across months). A metric or resource missing here does not exist: the validator denies it.
 */
export const PLAN_IDS = ["starter", "pro", "business"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** Features counted per billing period (`usage_counters.metric`). */
export const METERED_METRICS = ["searches", "exports"] as const;
export type MeteredMetric = (typeof METERED_METRICS)[number];

/** Things a user holds; the product counts them, the plan caps them. The reset never touches them. */
export const HELD_RESOURCES = ["lists"] as const;
export type HeldResource = (typeof HELD_RESOURCES)[number];

export interface Plan {
  id: PlanId;
  rank: number;
  /** Per billing period; the counter of a metric may never exceed it. */
  monthlyLimits: Readonly<Record<MeteredMetric, number>>;
  /** How many of each resource a user may hold at once. */
  holdingCaps: Readonly<Record<HeldResource, number>>;
}

export type PlanCatalog = Readonly<Record<PlanId, Plan>>;

export const PLANS: PlanCatalog = {
  starter: { id: "starter", rank: 1, monthlyLimits: { searches: 100, exports: 10 }, holdingCaps: { lists: 3 } },
  pro: { id: "pro", rank: 2, monthlyLimits: { searches: 2_000, exports: 200 }, holdingCaps: { lists: 25 } },
  business: { id: "business", rank: 3, monthlyLimits: { searches: 20_000, exports: 2_000 }, holdingCaps: { lists: 250 } },
};

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === "string" && (PLAN_IDS as readonly string[]).includes(value);
}

export function isMeteredMetric(value: unknown): value is MeteredMetric {
  return typeof value === "string" && (METERED_METRICS as readonly string[]).includes(value);
}

export function isHeldResource(value: unknown): value is HeldResource {
  return typeof value === "string" && (HELD_RESOURCES as readonly string[]).includes(value);
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
