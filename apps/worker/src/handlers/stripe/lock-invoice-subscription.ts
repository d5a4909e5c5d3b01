import { lockKey } from "@wh/db";
import { subscriptionWaitKey } from "../../deferred/wait-key";
import type { DeferredOutcome, Tx } from "../handler-types";

/** What an invoice event reads of its subscription. */
export interface StoredSubscription {
  id: string;
  stripeSubscriptionId: string;
  userId: string;
  status: string;
  lastEventAt: Date;
  lastEventId: string;
  currentPeriodEnd: Date | null;
}

/**
 * The subscription an invoice event is about, under its wait-key lock (which the subscription
 * event that stores it holds too). `deferred` when it is not stored yet: Stripe does not
 * guarantee that `customer.subscription.created` arrives first, so the invoice event waits for it.
 */
export async function lockInvoiceSubscription(
  tx: Tx,
  subscriptionId: string,
): Promise<{ stored: StoredSubscription } | { deferred: DeferredOutcome }> {
  const waitKey = subscriptionWaitKey(subscriptionId);
  await lockKey(tx, waitKey);
  const stored = await tx.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } });
  if (stored) return { stored };
  return { deferred: { status: "deferred", reason: `subscription ${subscriptionId} is not stored yet`, waitKey } };
}
