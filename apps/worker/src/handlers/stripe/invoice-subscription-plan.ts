import type { Statement } from "@wh/db";
import { subscriptionWaitKey } from "../../deferred/wait-key";
import { lockedUserReads, USER_OF_SUBSCRIPTION, type LockedUser, type StoredSubscription } from "../../users/recompute-current-plan";
import type { PipelinedDecision, PipelinedPlan } from "../handler-types";
import { invoiceSubscriptionId, type StripeInvoice } from "./stripe-payloads";

/** An invoice event's subscription, read under its wait-key lock and its owner's row lock. */
export interface InvoiceSubscription {
  stored: StoredSubscription;
  /** The owner, whose plan a status change recomputes. */
  user: LockedUser;
  /** Every subscription of the owner, `stored` among them. */
  owned: StoredSubscription[];
}

/**
 * The plan of an invoice event (`ignored` when the invoice belongs to no subscription): under the
 * subscription's wait-key lock (which the subscription event that stores it holds too), the first
 * exchange reads the subscription with its owner's row locked and its owner's subscriptions
 * (lockedUserReads), then the event's own reads; `decide` needs no exchange of its own, so an
 * invoice event takes two round trips.
 * `deferred` when the subscription is not stored yet: Stripe does not guarantee that
 * `customer.subscription.created` arrives first, so the invoice event waits for it.
 */
export function invoiceSubscriptionPlan(
  invoice: StripeInvoice,
  reads: (subscriptionId: string) => Statement[],
  decide: (subscription: InvoiceSubscription, rows: unknown[][]) => PipelinedDecision,
): PipelinedPlan {
  const subscriptionId = invoiceSubscriptionId(invoice);
  if (!subscriptionId) {
    return { locks: [], reads: [], decide: async () => ({ outcome: { status: "ignored", reason: "invoice without a subscription" }, writes: [] }) };
  }
  const waitKey = subscriptionWaitKey(subscriptionId);
  return {
    locks: [waitKey],
    reads: [...lockedUserReads(USER_OF_SUBSCRIPTION, subscriptionId), ...reads(subscriptionId)],
    decide: async (_tx, [users, subscriptions, ...rows]) => {
      const owned = subscriptions as StoredSubscription[];
      const stored = owned.find((row) => row.stripeSubscriptionId === subscriptionId);
      if (!stored) {
        return { outcome: { status: "deferred", reason: `subscription ${subscriptionId} is not stored yet`, waitKey }, writes: [] };
      }
      return decide({ stored, user: (users as LockedUser[])[0]!, owned }, rows);
    },
  };
}
