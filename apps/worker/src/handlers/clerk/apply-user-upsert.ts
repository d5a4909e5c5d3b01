import { lockKey } from "@wh/db";
import { COMPLETED, type EventHandler } from "../handler-types";
import { parsePayload } from "../parse-payload";
import { isNewerClerkEvent } from "./clerk-event-order";
import { clerkUserSchema, primaryEmail } from "./clerk-payloads";

/**
 * `user.created` / `user.updated`: writes the profile when the event is newer than the last
 * Clerk event applied to the user. ON CONFLICT because Stripe may have created a placeholder
 * row for this Clerk id a moment ago. A deleted user is never resurrected.
 */
export const applyUserUpsert: EventHandler = async ({ tx, job, eventAt }) => {
  const user = parsePayload(clerkUserSchema, job.payload.data, "clerk user");
  const profile = { email: primaryEmail(user), firstName: user.first_name ?? null, lastName: user.last_name ?? null };
  await lockKey(tx, `clerk_user:${user.id}`);

  const stored = await tx.user.findUnique({ where: { clerkUserId: user.id } });
  if (stored?.deletedAt) return { status: "skipped_stale", reason: "user deleted", redactPayload: true, userId: stored.id };
  const newer = !stored || isNewerClerkEvent({ at: stored.clerkEventAt, id: stored.clerkEventId }, { at: eventAt, id: job.eventId });
  const identical =
    stored?.clerkEventAt &&
    stored.email === profile.email &&
    stored.firstName === profile.firstName &&
    stored.lastName === profile.lastName;
  if (stored && identical) {
    if (newer) await tx.user.update({ where: { id: stored.id }, data: { clerkEventAt: eventAt, clerkEventId: job.eventId } });
    return { status: "skipped_duplicate", reason: "identical user snapshot", userId: stored.id };
  }
  if (stored && !newer) return { status: "skipped_stale", reason: `older than ${stored.clerkEventId ?? "stored state"}`, userId: stored.id };

  const written = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO users (id, clerk_user_id, email, first_name, last_name, clerk_event_at, clerk_event_id, updated_at)
    VALUES (gen_random_uuid(), ${user.id}, ${profile.email}, ${profile.firstName}, ${profile.lastName},
            ${eventAt}, ${job.eventId}, now())
    ON CONFLICT (clerk_user_id) DO UPDATE SET
      email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
      clerk_event_at = EXCLUDED.clerk_event_at, clerk_event_id = EXCLUDED.clerk_event_id, updated_at = now()
    WHERE users.deleted_at IS NULL
    RETURNING id`;
  return { ...COMPLETED, userId: written[0]?.id ?? stored?.id };
};
