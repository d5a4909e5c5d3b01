import { lockKey } from "@wh/db";
import { COMPLETED, type EventHandler } from "../handler-types";
import { parsePayload } from "../parse-payload";
import { clerkDeletedUserSchema } from "./clerk-payloads";

/**
 * `user.deleted`: the row becomes a tombstone that keeps only ids and times. Its personal data
 * is erased, here and in the stored payloads of the user's earlier Clerk events; a user Clerk
 * deleted before we ever saw it gets a tombstone too, so a late `user.created` stays dead.
 */
export const applyUserDeleted: EventHandler = async ({ tx, job, eventAt }) => {
  const { id } = parsePayload(clerkDeletedUserSchema, job.payload.data, "deleted clerk user");
  await lockKey(tx, `clerk_user:${id}`);

  const stored = await tx.user.findUnique({ where: { clerkUserId: id }, select: { id: true, deletedAt: true } });
  if (stored?.deletedAt) return { status: "skipped_duplicate", reason: "user already deleted", userId: stored.id };

  const [tombstone] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO users (id, clerk_user_id, deleted_at, clerk_event_at, clerk_event_id, updated_at)
    VALUES (gen_random_uuid(), ${id}, ${eventAt}, ${eventAt}, ${job.eventId}, now())
    ON CONFLICT (clerk_user_id) DO UPDATE SET
      deleted_at = EXCLUDED.deleted_at, email = NULL, first_name = NULL, last_name = NULL,
      current_plan = NULL, clerk_event_at = EXCLUDED.clerk_event_at, clerk_event_id = EXCLUDED.clerk_event_id,
      updated_at = now()
    RETURNING id`;
  await tx.$executeRaw`
    UPDATE webhook_events
    SET payload = jsonb_set(payload, '{data}', jsonb_build_object('id', object_id, 'deleted', true))
    WHERE provider = 'clerk' AND object_id = ${id}`;
  return { ...COMPLETED, userId: tombstone?.id };
};
