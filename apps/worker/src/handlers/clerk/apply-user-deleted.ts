import type { Statement } from "@wh/db";
import { currentPlanOf } from "../../users/recompute-current-plan";
import type { PipelinedHandler } from "../handler-types";
import { parsePayload } from "../parse-payload";
import { clerkUserLockKey, storedClerkUserStatement, type StoredClerkUser } from "./clerk-user-statements";
import { clerkDeletedUserSchema } from "./clerk-payloads";

/**
 * `user.deleted`: the row becomes a tombstone that keeps only ids and times. Its personal data
 * is erased, here and in the stored payloads of the user's earlier Clerk events; a user Clerk
 * deleted before we ever saw it gets a tombstone too, so a late `user.created` stays dead.
 *
 * On the hot path: under the user's Clerk lock, the first exchange reads the stored row; a known
 * user becomes a tombstone with the ledger's settle (two round trips). A user never seen gets its
 * tombstone in an exchange of its own, which answers the row's id for the ledger (three).
 */
export const applyUserDeleted: PipelinedHandler = (job, eventAt) => {
  const { id } = parsePayload(clerkDeletedUserSchema, job.payload.data, "deleted clerk user");
  const tombstone: Statement = {
    text: `INSERT INTO users (id, clerk_user_id, deleted_at, clerk_event_at, clerk_event_id, updated_at)
      VALUES (gen_random_uuid(), $1, $2::timestamptz, $2::timestamptz, $3, now())
      ON CONFLICT (clerk_user_id) DO UPDATE SET
        deleted_at = EXCLUDED.deleted_at, email = NULL, first_name = NULL, last_name = NULL,
        current_plan = $4, clerk_event_at = EXCLUDED.clerk_event_at, clerk_event_id = EXCLUDED.clerk_event_id,
        updated_at = now()
      RETURNING id`,
    // A deleted user has no plan, whatever its subscriptions (currentPlanOf).
    values: [id, eventAt.toISOString(), job.eventId, currentPlanOf(eventAt, [])],
  };
  const redactEarlierEvents: Statement = {
    text: `UPDATE webhook_events
      SET payload = jsonb_set(payload, '{data}', jsonb_build_object('id', object_id, 'deleted', true))
      WHERE provider = 'clerk' AND object_id = $1`,
    values: [id],
  };
  return {
    locks: [clerkUserLockKey(id)],
    reads: [storedClerkUserStatement(id)],
    decide: async (tx, [rows]) => {
      const stored = (rows as StoredClerkUser[])[0];
      if (stored?.deletedAt) return { outcome: { status: "skipped_duplicate", reason: "user already deleted", userId: stored.id }, writes: [] };
      if (stored) return { outcome: { status: "completed", userId: stored.id }, writes: [tombstone, redactEarlierEvents] };
      const [written] = await tx.exchange([tombstone]);
      return { outcome: { status: "completed", userId: (written as { id: string }[])[0]?.id }, writes: [redactEarlierEvents] };
    },
  };
};
