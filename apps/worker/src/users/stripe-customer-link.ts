import { lockKey } from "@wh/db";
import { customerWaitKey } from "../deferred/wait-key";
import type { Tx } from "../handlers/handler-types";
import { ensureUser, type LinkedUser } from "./ensure-user";

/**
 * Records that a Stripe customer belongs to a user. A customer belongs to one user for good
 * (first link wins); `users.stripe_customer_id` follows the newest link by Stripe event time.
 * Under the customer's wait-key lock, like the lookup in resolveStripeUser: an event that finds
 * no link commits its `deferred` row before this link is visible, or sees the link.
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

/**
 * The user a Stripe object belongs to: by Clerk id from metadata / client_reference_id (creating
 * a placeholder user when Clerk has not told us yet), else through a stored customer link.
 * `null` when neither exists yet: the checkout that links the customer may still come.
 */
export async function resolveStripeUser(
  tx: Tx,
  ref: { clerkUserId: string | null | undefined; customerId: string },
): Promise<LinkedUser | null> {
  if (ref.clerkUserId) return ensureUser(tx, ref.clerkUserId);
  await lockKey(tx, customerWaitKey(ref.customerId));
  const link = await tx.stripeCustomer.findUnique({
    where: { stripeCustomerId: ref.customerId },
    select: { user: { select: { id: true, deletedAt: true } } },
  });
  return link?.user ?? null;
}
