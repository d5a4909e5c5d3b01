import type { Tx } from "../handlers/handler-types";
import { ensureUser, type LinkedUser } from "./ensure-user";
import { UserNotLinkedError } from "./user-not-linked-error";

/**
 * Records that a Stripe customer belongs to a user. A customer belongs to one user for good
 * (first link wins); `users.stripe_customer_id` follows the newest link by Stripe event time.
 */
export async function linkCustomer(tx: Tx, userId: string, customerId: string, eventAt: Date): Promise<void> {
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
 */
export async function resolveStripeUser(
  tx: Tx,
  ref: { clerkUserId: string | null | undefined; customerId: string | null },
): Promise<LinkedUser> {
  if (ref.clerkUserId) return ensureUser(tx, ref.clerkUserId);
  if (ref.customerId) {
    const link = await tx.stripeCustomer.findUnique({
      where: { stripeCustomerId: ref.customerId },
      select: { user: { select: { id: true, deletedAt: true } } },
    });
    if (link) return link.user;
  }
  throw new UserNotLinkedError(
    `no Clerk user for Stripe customer ${ref.customerId ?? "(none)"}: no clerk_user_id metadata and no linked checkout yet`,
  );
}
