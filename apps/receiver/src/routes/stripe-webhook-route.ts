import { stripeWebhookJob, verifyStripe } from "@wh/webhooks";
import { acceptDelivery, type DeliveryContext } from "./accept-delivery";
import { headerValue } from "./header-value";
import type { WebhookRoute } from "./webhook-answer";

export function stripeWebhookRoute(context: DeliveryContext, secrets: readonly string[]): WebhookRoute {
  return async (rawBody, headers) => {
    const result = verifyStripe({ rawBody, signatureHeader: headerValue(headers, "stripe-signature"), secrets });
    return acceptDelivery(context, "stripe", result, (event) => stripeWebhookJob(event, Date.now()));
  };
}
