import type { PrismaClient } from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import { uniqueId } from "@wh/testkit";
import { applyWebhookEvent, type ApplyResult } from "../apply-webhook-event";

/** The job the receiver would enqueue for a Stripe event payload. */
export function stripeJob(event: Record<string, unknown>): WebhookJob {
  const object = (event.data as { object: { id?: string } }).object;
  return {
    provider: "stripe",
    eventId: event.id as string,
    type: event.type as string,
    objectId: object.id,
    eventCreatedAt: (event.created as number) * 1000,
    receivedAt: Date.now(),
    payload: event,
  };
}

/** The job the receiver would enqueue for a Clerk event payload (svix id as delivery id). */
export function clerkJob(event: Record<string, unknown>, msgId: string = uniqueId("msg")): WebhookJob {
  const data = event.data as { id: string };
  return {
    provider: "clerk",
    eventId: msgId,
    type: event.type as string,
    objectId: data.id,
    eventCreatedAt: event.timestamp as number,
    receivedAt: Date.now(),
    payload: event,
  };
}

export function applyJob(prisma: PrismaClient, job: WebhookJob, attempt = 1): Promise<ApplyResult> {
  return applyWebhookEvent(prisma, job, { timeoutMs: 10_000, stripeLivemode: false, attempt });
}
