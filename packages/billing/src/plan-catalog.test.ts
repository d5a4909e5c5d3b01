import {
  bestPlan,
  HELD_RESOURCES,
  isHeldResource,
  isMeteredMetric,
  isPlanId,
  METERED_METRICS,
  PLAN_IDS,
  PLANS,
} from "./plan-catalog";

describe("plan catalog", () => {
  it("has one plan per Stripe lookup_key, each with a limit for every metric and a cap for every resource", () => {
    expect(PLAN_IDS).toEqual(["starter", "pro", "business"]);
    for (const id of PLAN_IDS) {
      const plan = PLANS[id];
      expect(plan.id).toBe(id);
      expect(Object.keys(plan.monthlyLimits).sort()).toEqual([...METERED_METRICS].sort());
      expect(Object.keys(plan.holdingCaps).sort()).toEqual([...HELD_RESOURCES].sort());
      for (const limit of [...Object.values(plan.monthlyLimits), ...Object.values(plan.holdingCaps)]) {
        expect(Number.isSafeInteger(limit) && limit > 0).toBe(true);
      }
    }
  });

  it("ranks plans so that a better plan never has lower limits", () => {
    const ranked = [...PLAN_IDS].sort((a, b) => PLANS[a].rank - PLANS[b].rank).map((id) => PLANS[id]);
    for (let i = 1; i < ranked.length; i += 1) {
      for (const metric of METERED_METRICS) {
        expect(ranked[i]!.monthlyLimits[metric]).toBeGreaterThanOrEqual(ranked[i - 1]!.monthlyLimits[metric]);
      }
      for (const resource of HELD_RESOURCES) {
        expect(ranked[i]!.holdingCaps[resource]).toBeGreaterThanOrEqual(ranked[i - 1]!.holdingCaps[resource]);
      }
    }
  });

  it("recognizes only catalog ids, metrics and resources", () => {
    expect(isPlanId("pro")).toBe(true);
    expect(isPlanId("Pro")).toBe(false);
    expect(isPlanId(null)).toBe(false);
    expect(isMeteredMetric("searches")).toBe(true);
    expect(isMeteredMetric("lists")).toBe(false);
    expect(isHeldResource("lists")).toBe(true);
    expect(isHeldResource("searches")).toBe(false);
  });

  it("picks the best known plan; unknown ids and NULL never win", () => {
    expect(bestPlan(["starter", "business", "pro"])).toBe("business");
    expect(bestPlan([null, "legacy_gold", "starter"])).toBe("starter");
    expect(bestPlan([null, "legacy_gold"])).toBeNull();
    expect(bestPlan([])).toBeNull();
  });
});
