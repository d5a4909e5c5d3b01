import { UnrecoverableError } from "bullmq";
import { customerWaitKey } from "../../deferred/wait-key";
import { ensureUser } from "../../users/ensure-user";
import { linkCustomer } from "../../users/stripe-customer-link";
import type { EventHandler } from "../handler-types";
import { checkoutSessionSchema, expandableId, stripeObject } from "./stripe-payloads";

/**
 * Links the checkout's Stripe customer to the Clerk user named by `client_reference_id` (or
 * `metadata.clerk_user_id`); subscription events of that customer that waited for it run next.
 */
export const applyCheckoutSessionCompleted: EventHandler = async ({ tx, job, eventAt }) => {
  const session = stripeObject(job.payload, checkoutSessionSchema, "checkout session");
  const clerkUserId = session.client_reference_id ?? session.metadata?.clerk_user_id;
  if (!clerkUserId) {
    // Nothing later can say whose checkout this was: waiting or retrying cannot help.
    throw new UnrecoverableError(
      `checkout session ${session.id} names no Clerk user (no client_reference_id, no metadata.clerk_user_id): its customer can never be linked`,
    );
  }
  // A deleted user's tombstone still gets the link: it holds ids only, and every delivery order
  // must end with the same links.
  const user = await ensureUser(tx, clerkUserId);
  const customerId = expandableId(session.customer);
  if (!customerId) return { status: "ignored", reason: "checkout without a customer", userId: user.id };
  await linkCustomer(tx, user.id, customerId, eventAt);
  return { status: "completed", provides: customerWaitKey(customerId), userId: user.id };
};
