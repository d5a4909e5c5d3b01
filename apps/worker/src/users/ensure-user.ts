import type { Statement } from "@wh/db";

/** SQL giving the id of the user with Clerk id $1. */
export const USER_BY_CLERK_ID = "SELECT id FROM users WHERE clerk_user_id = $1";

/**
 * The user row of a Clerk id, created as a placeholder when a Stripe event arrives before Clerk's
 * `user.created`: the insert, then (a later statement, so it sees a row a concurrent insert just
 * committed) the row's id. ON CONFLICT, not a caught unique violation: that would abort the
 * transaction. A deleted user stays deleted (the tombstone row is returned as it is).
 */
export function ensureUserStatements(clerkUserId: string): Statement[] {
  return [placeholderUserStatement(clerkUserId), { text: USER_BY_CLERK_ID, values: [clerkUserId] }];
}

/** Creates the placeholder user row of a Clerk id unless it exists (see ensureUserStatements). */
export function placeholderUserStatement(clerkUserId: string): Statement {
  return {
    text: `INSERT INTO users (id, clerk_user_id, updated_at) VALUES (gen_random_uuid(), $1, now())
      ON CONFLICT (clerk_user_id) DO NOTHING`,
    values: [clerkUserId],
  };
}
