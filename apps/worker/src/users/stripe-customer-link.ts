import type { Statement } from "@wh/db";

/**
 * Records that a Stripe customer belongs to a user. A customer belongs to one user for good
 * (first link wins); `users.stripe_customer_id` follows the newest link by Stripe event time.
 * Run under the customer's wait-key lock, like the lookup of a new subscription's user
 * (apply-subscription-event.ts): an event that finds no link commits its `deferred` row before
 * this link is visible, or sees the link.
 */
export function linkCustomerStatements(userId: string, customerId: string, eventAt: Date): Statement[] {
  return [
    {
      text: `INSERT INTO stripe_customers (stripe_customer_id, user_id) VALUES ($1, $2::uuid)
        ON CONFLICT (stripe_customer_id) DO NOTHING`,
      values: [customerId, userId],
    },
    {
      text: `UPDATE users SET stripe_customer_id = $2, stripe_linked_at = $3::timestamptz, updated_at = now()
        WHERE id = $1::uuid AND (stripe_linked_at IS NULL OR stripe_linked_at <= $3::timestamptz)`,
      values: [userId, customerId, eventAt.toISOString()],
    },
  ];
}
