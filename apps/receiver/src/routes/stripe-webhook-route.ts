import { minimizeStripePayload, verifyStripe } from "@wh/webhooks";
import type { Request, Response } from "express";
import { acceptDelivery, type DeliveryContext } from "./accept-delivery";

export function stripeWebhookRoute(context: DeliveryContext, secrets: readonly string[]) {
  return async (req: Request, res: Response): Promise<void> => {
    const result = verifyStripe({
      rawBody: req.body as Buffer,
      signatureHeader: req.get("stripe-signature"),
      secrets,
    });
    await acceptDelivery(context, res, "stripe", result, (event) => ({
      provider: "stripe",
      eventId: event.id,
      type: event.type,
      objectId: event.objectId,
      eventCreatedAt: event.created * 1000,
      receivedAt: Date.now(),
      payload: minimizeStripePayload(event.payload),
    }));
  };
}
