/**
 * Payment-state policy: which Stripe subscription statuses grant the subscribed plan.
 * `past_due` keeps the plan while Stripe still retries the payment; a final failure (`unpaid`,
 * `canceled`, `incomplete_expired`) and unfinished or paused subscriptions grant nothing.
 */
const GRANTING_STATUSES = new Set(["active", "trialing", "past_due"]);

export function subscriptionGrantsPlan(status: string): boolean {
  return GRANTING_STATUSES.has(status);
}
