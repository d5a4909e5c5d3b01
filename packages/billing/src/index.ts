export {
  bestPlan,
  HELD_RESOURCES,
  METERED_METRICS,
  PLANS,
  type HeldResource,
  type MeteredMetric,
  type Plan,
  type PlanCatalog,
  type PlanId,
} from "./plan-catalog";
export { subscriptionGrantsPlan } from "./subscription-status-policy";
export { calendarMonthUtc, type BillingPeriod, type PeriodPolicy } from "./billing-period";
export type { Decision, DenyReason, UsageOutcome, UsageReceipt } from "./plan-decision";
export {
  MAX_USAGE_AMOUNT,
  PlanValidator,
  type Entitlements,
  type EntitlementsResult,
  type MetricEntitlement,
  type PlanValidatorOptions,
  type RecordUsageRequest,
} from "./plan-validator";
export {
  deleteExpiredIdempotencyKeys,
  IDEMPOTENCY_KEY_PATTERN,
} from "./idempotency-keys";
export {
  closeEndedPeriods,
  type ClosePeriodsOptions,
  type PeriodCloseResult,
} from "./close-usage-periods";
