import { createClerkVerifier, minimizeClerkPayload } from "@wh/webhooks";
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
    return acceptDelivery(context, "clerk", result, (event) => ({
      provider: "clerk",
      eventId: event.id,
      type: event.type,
      objectId: event.objectId,
      eventCreatedAt: event.timestampMs,
      receivedAt: Date.now(),
      payload: minimizeClerkPayload(event.payload),
    }));
  };
}
