import { clerkWebhookJob, createClerkVerifier } from "@wh/webhooks";
import { acceptDelivery, type DeliveryContext } from "./accept-delivery";
import { headerValue } from "./header-value";
import type { WebhookRoute } from "./webhook-answer";

export function clerkWebhookRoute(context: DeliveryContext, secrets: readonly string[]): WebhookRoute {
  const verifyClerk = createClerkVerifier(secrets);
  return async (rawBody, headers) => {
    const result = verifyClerk({
      rawBody,
      headers: {
        "svix-id": headerValue(headers, "svix-id"),
        "svix-timestamp": headerValue(headers, "svix-timestamp"),
        "svix-signature": headerValue(headers, "svix-signature"),
      },
    });
    return acceptDelivery(context, "clerk", result, (event) => clerkWebhookJob(event, Date.now()));
  };
}
