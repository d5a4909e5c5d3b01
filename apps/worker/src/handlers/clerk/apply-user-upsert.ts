import type { Statement } from "@wh/db";
import type { PipelinedHandler } from "../handler-types";
import { parsePayload } from "../parse-payload";
import { clerkUserLockKey, storedClerkUserStatement, type StoredClerkUser } from "./clerk-user-statements";
import { isNewerClerkEvent } from "./clerk-event-order";
import { clerkUserSchema, primaryEmail } from "./clerk-payloads";

/**
 * `user.created` / `user.updated`: writes the profile when the event is newer than the last
 * Clerk event applied to the user. ON CONFLICT because Stripe may have created a placeholder
 * row for this Clerk id a moment ago. A deleted user is never resurrected.
 *
 * On the hot path: under the user's Clerk lock, the first exchange reads the stored row; a known
 * user is decided from it and written with the ledger's settle (two round trips). A new one is
 * inserted in an exchange of its own, which answers the row's id for the ledger (three).
 */
export const applyUserUpsert: PipelinedHandler = (job, eventAt) => {
  const user = parsePayload(clerkUserSchema, job.payload.data, "clerk user");
  const profile = { email: primaryEmail(user), firstName: user.first_name ?? null, lastName: user.last_name ?? null };
  const upsert: Statement = {
    text: `INSERT INTO users (id, clerk_user_id, email, first_name, last_name, clerk_event_at, clerk_event_id, updated_at)
      VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::timestamptz, $6, now())
      ON CONFLICT (clerk_user_id) DO UPDATE SET
        email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
        clerk_event_at = EXCLUDED.clerk_event_at, clerk_event_id = EXCLUDED.clerk_event_id, updated_at = now()
      WHERE users.deleted_at IS NULL
      RETURNING id`,
    values: [user.id, profile.email, profile.firstName, profile.lastName, eventAt.toISOString(), job.eventId],
  };
  return {
    locks: [clerkUserLockKey(user.id)],
    reads: [storedClerkUserStatement(user.id)],
    decide: async (tx, [rows]) => {
      const stored = (rows as StoredClerkUser[])[0];
      if (!stored) {
        const [written] = await tx.exchange([upsert]);
        return { outcome: { status: "completed", userId: (written as { id: string }[])[0]?.id }, writes: [] };
      }
      if (stored.deletedAt) {
        return { outcome: { status: "skipped_stale", reason: "user deleted", redactPayload: true, userId: stored.id }, writes: [] };
      }
      const newer = isNewerClerkEvent({ at: stored.clerkEventAt, id: stored.clerkEventId }, { at: eventAt, id: job.eventId });
      const identical =
        stored.clerkEventAt &&
        stored.email === profile.email &&
        stored.firstName === profile.firstName &&
        stored.lastName === profile.lastName;
      if (identical) {
        const writes = newer
          ? [{ text: "UPDATE users SET clerk_event_at = $2::timestamptz, clerk_event_id = $3, updated_at = now() WHERE id = $1::uuid", values: [stored.id, eventAt.toISOString(), job.eventId] }]
          : [];
        return { outcome: { status: "skipped_duplicate", reason: "identical user snapshot", userId: stored.id }, writes };
      }
      if (!newer) return { outcome: { status: "skipped_stale", reason: `older than ${stored.clerkEventId ?? "stored state"}`, userId: stored.id }, writes: [] };
      return { outcome: { status: "completed", userId: stored.id }, writes: [upsert] };
    },
  };
};
