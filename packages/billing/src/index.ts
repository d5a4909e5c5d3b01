export { bestPlan, isPlanId, PLAN_IDS, PLANS, type Plan, type PlanId } from "./plan-catalog";
export { subscriptionGrantsPlan } from "./subscription-status-policy";
