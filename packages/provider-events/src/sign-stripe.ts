import Stripe from "stripe";

/** A Stripe delivery signed by the official library, as Stripe would send it (a string is sent as is). */
export function signStripe(
  event: object | string,
  secret: string,
  options: { timestampSeconds?: number } = {},
): { body: string; headers: Record<string, string> } {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: options.timestampSeconds ?? Math.floor(Date.now() / 1000),
  });
  return { body, headers: { "content-type": "application/json", "stripe-signature": signature } };
}
