import { lockKey } from "@wh/db";
import { customerWaitKey } from "../deferred/wait-key";
import type { Tx } from "../handlers/handler-types";

/**
 * Records that a Stripe customer belongs to a user. A customer belongs to one user for good
 * (first link wins); `users.stripe_customer_id` follows the newest link by Stripe event time.
 * Under the customer's wait-key lock, like the lookup of a new subscription's user
 * (apply-subscription-event.ts): an event that finds no link commits its `deferred` row before
 * this link is visible, or sees the link.
 */
export async function linkCustomer(tx: Tx, userId: string, customerId: string, eventAt: Date): Promise<void> {
  await lockKey(tx, customerWaitKey(customerId));
  await tx.$executeRaw`
    INSERT INTO stripe_customers (stripe_customer_id, user_id)
    VALUES (${customerId}, ${userId}::uuid)
    ON CONFLICT (stripe_customer_id) DO NOTHING`;
  await tx.$executeRaw`
    UPDATE users SET stripe_customer_id = ${customerId}, stripe_linked_at = ${eventAt}, updated_at = now()
    WHERE id = ${userId}::uuid AND (stripe_linked_at IS NULL OR stripe_linked_at <= ${eventAt})`;
}

