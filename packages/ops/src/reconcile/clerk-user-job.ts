import type { WebhookJob } from "@wh/queue";
import { clerkWebhookJob } from "@wh/webhooks";
import type { ClerkUserJson } from "./list-clerk-users";

/**
 * A synthetic `user.updated` delivery carrying the user as Clerk lists it now, for the worker's
 * own handler to apply: the body a Clerk webhook would carry (minimized as the receiver does),
 * event time = the user's `updated_at`, delivery id `reconcile_<user>_<updated_at>` (the same for
 * every run until the user changes again, so runs do not pile up jobs).
 */
export function clerkUserJob(user: ClerkUserJson, receivedAt: Date): WebhookJob {
  const body = { object: "event", type: "user.updated", timestamp: user.updated_at, data: user };
  const eventId = `reconcile_${user.id}_${user.updated_at}`;
  return clerkWebhookJob(
    { id: eventId, type: "user.updated", timestampMs: user.updated_at, objectId: user.id, payload: body },
    receivedAt.getTime(),
  );
}
