import { UnrecoverableError } from "bullmq";
import { customerWaitKey } from "../../deferred/wait-key";
import { ensureUserStatements } from "../../users/ensure-user";
import { linkCustomerStatements } from "../../users/stripe-customer-link";
import type { PipelinedHandler } from "../handler-types";
import { checkoutSessionSchema, expandableId, stripeObject } from "./stripe-payloads";

/**
 * Links the checkout's Stripe customer to the Clerk user named by `client_reference_id` (or
 * `metadata.clerk_user_id`); subscription events of that customer that waited for it run next.
 *
 * On the hot path: the first exchange takes the customer's wait-key lock (after the delivery's,
 * before the user row the link updates: the order every handler keeps) and ensures the user
 * (placeholder insert, then its id; for a settled delivery the insert finds the user its first
 * run made and does nothing); the link rides in the last exchange. Two round trips.
 */
export const applyCheckoutSessionCompleted: PipelinedHandler = (job, eventAt) => {
  const session = stripeObject(job.payload, checkoutSessionSchema, "checkout session");
  const clerkUserId = session.client_reference_id ?? session.metadata?.clerk_user_id;
  if (!clerkUserId) {
    // Nothing later can say whose checkout this was: waiting or retrying cannot help.
    throw new UnrecoverableError(
      `checkout session ${session.id} names no Clerk user (no client_reference_id, no metadata.clerk_user_id): its customer can never be linked`,
    );
  }
  const customerId = expandableId(session.customer);
  return {
    locks: customerId ? [customerWaitKey(customerId)] : [],
    reads: ensureUserStatements(clerkUserId),
    decide: async (_tx, [, users]) => {
      // A deleted user's tombstone still gets the link: it holds ids only, and every delivery
      // order must end with the same links.
      const userId = (users as { id: string }[])[0]!.id;
      if (!customerId) return { outcome: { status: "ignored", reason: "checkout without a customer", userId }, writes: [] };
      return {
        outcome: { status: "completed", provides: customerWaitKey(customerId), userId },
        writes: linkCustomerStatements(userId, customerId, eventAt),
      };
    },
  };
};
