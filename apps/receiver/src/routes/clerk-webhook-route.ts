import { minimizeClerkPayload, verifyClerk } from "@wh/webhooks";
import type { Request, Response } from "express";
import { acceptDelivery, type DeliveryContext } from "./accept-delivery";

export function clerkWebhookRoute(context: DeliveryContext, secrets: readonly string[]) {
  return async (req: Request, res: Response): Promise<void> => {
    const result = verifyClerk({
      rawBody: req.body as Buffer,
      headers: {
        "svix-id": req.get("svix-id"),
        "svix-timestamp": req.get("svix-timestamp"),
        "svix-signature": req.get("svix-signature"),
      },
      secrets,
    });
    await acceptDelivery(context, res, "clerk", result, (event) => ({
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
