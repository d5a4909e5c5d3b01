/**
 * What a `deferred` event waits for, stored in `webhook_events.wait_key`. Each key is also the
 * advisory lock that the deferring handler and the handler creating the key both hold, so a key
 * can never appear between "not there, defer" and the deferred row's commit unnoticed.
 */
export type WaitKey = `stripe_customer:${string}` | `stripe_subscription:${string}`;

/** A Stripe customer linked to a user (by the checkout that names the user). */
export const customerWaitKey = (customerId: string): WaitKey => `stripe_customer:${customerId}`;

/** A stored subscription (by its first subscription event). */
export const subscriptionWaitKey = (subscriptionId: string): WaitKey => `stripe_subscription:${subscriptionId}`;

/**
 * SQL: whether the wait key of the `webhook_events` row aliased `w` exists now. The same tables
 * the handlers read (a customer link, a stored subscription), so an event released because its
 * key exists cannot defer again. Stripe ids never contain `:`.
 */
export const WAIT_KEY_EXISTS_SQL = `CASE split_part(w.wait_key, ':', 1)
    WHEN 'stripe_customer' THEN EXISTS (
      SELECT 1 FROM stripe_customers c WHERE c.stripe_customer_id = split_part(w.wait_key, ':', 2))
    WHEN 'stripe_subscription' THEN EXISTS (
      SELECT 1 FROM subscriptions s WHERE s.stripe_subscription_id = split_part(w.wait_key, ':', 2))
    ELSE false
  END`;
