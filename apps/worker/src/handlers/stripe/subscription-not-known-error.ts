/**
 * An invoice event about a subscription we have not stored yet: retried, since Stripe does not
 * guarantee that `customer.subscription.created` arrives first.
 */
export class SubscriptionNotKnownError extends Error {
  override readonly name = "SubscriptionNotKnownError";
}
