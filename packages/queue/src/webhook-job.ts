import { z } from "zod";

export const WEBHOOK_PROVIDERS = ["stripe", "clerk"] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** What a webhook job carries: everything the worker needs, nothing it does not. */
export const webhookJobSchema = z.object({
  provider: z.enum(WEBHOOK_PROVIDERS),
  /** Stripe `event.id`; Clerk `svix-id`. */
  eventId: z.string().min(1),
  type: z.string().min(1),
  objectId: z.string().optional(),
  /** Provider event time in epoch ms (Stripe `created` × 1000, Clerk body `timestamp`). */
  eventCreatedAt: z.number().int().nonnegative(),
  /** When our receiver accepted the delivery, epoch ms. */
  receivedAt: z.number().int().nonnegative(),
  payload: z.record(z.string(), z.unknown()),
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;

const ID_PREFIX: Record<WebhookProvider, string> = { stripe: "stripe_", clerk: "clerk_" };
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The BullMQ job id of a delivery: `stripe_evt_…` / `clerk_msg_…`. BullMQ ids may not contain `:`
 * and may not be integers; the provider prefix guarantees the latter, the check the former.
 */
export function webhookJobId(provider: WebhookProvider, eventId: string): string {
  if (!SAFE_ID.test(eventId)) {
    throw new Error(`event id of ${provider} contains characters not allowed in a job id`);
  }
  return `${ID_PREFIX[provider]}${eventId}`;
}
