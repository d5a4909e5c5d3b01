import type { Statement } from "@wh/db";

/** The advisory lock that serializes the Clerk events of one user (taken after the delivery's). */
export const clerkUserLockKey = (clerkUserId: string): string => `clerk_user:${clerkUserId}`;

/** A user row as the Clerk handlers read it: profile, tombstone and watermark. */
export interface StoredClerkUser {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  deletedAt: Date | null;
  clerkEventAt: Date | null;
  clerkEventId: string | null;
}

/** The user row of a Clerk id, read under clerkUserLockKey (a statement after the lock's, so its snapshot is too). */
export function storedClerkUserStatement(clerkUserId: string): Statement {
  return {
    text: `SELECT id, email, first_name AS "firstName", last_name AS "lastName", deleted_at AS "deletedAt",
        clerk_event_at AS "clerkEventAt", clerk_event_id AS "clerkEventId"
      FROM users WHERE clerk_user_id = $1`,
    values: [clerkUserId],
  };
}
