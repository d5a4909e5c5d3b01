import { linkCustomer, resolveStripeUser } from "../../users/stripe-customer-link";
import { UserNotLinkedError } from "../../users/user-not-linked-error";
import { COMPLETED, type EventHandler } from "../handler-types";
import { checkoutSessionSchema, expandableId, stripeObject } from "./stripe-payloads";

/** Links the checkout's Stripe customer to the Clerk user named by `client_reference_id`. */
export const applyCheckoutSessionCompleted: EventHandler = async ({ tx, job, eventAt }) => {
  const session = stripeObject(job.payload, checkoutSessionSchema, "checkout session");
  const clerkUserId = session.client_reference_id ?? session.metadata?.clerk_user_id;
  if (!clerkUserId) {
    throw new UserNotLinkedError(`checkout session ${session.id} names no Clerk user (client_reference_id)`);
  }
  // A deleted user's tombstone still gets the link: it holds ids only, and every delivery order
  // must end with the same links.
  const user = await resolveStripeUser(tx, { clerkUserId, customerId: null });
  const customerId = expandableId(session.customer);
  if (!customerId) return { status: "ignored", reason: "checkout without a customer" };
  await linkCustomer(tx, user.id, customerId, eventAt);
  return COMPLETED;
};
