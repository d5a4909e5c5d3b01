import type { Statement } from "@wh/db";
import type { Tx } from "../handlers/handler-types";

export interface LinkedUser {
  id: string;
  deletedAt: Date | null;
}

/**
 * The user row of a Clerk id, created as a placeholder when a Stripe event arrives before Clerk's
 * `user.created`. ON CONFLICT, not a caught unique violation: that would abort the transaction.
 * A deleted user stays deleted (the tombstone row is returned as it is).
 */
export async function ensureUser(tx: Tx, clerkUserId: string): Promise<LinkedUser> {
  const insert = placeholderUserStatement(clerkUserId);
  await tx.$executeRawUnsafe(insert.text, ...insert.values);
  return tx.user.findUniqueOrThrow({
    where: { clerkUserId },
    select: { id: true, deletedAt: true },
  });
}

/** Creates the placeholder user row of a Clerk id unless it exists (see ensureUser). */
export function placeholderUserStatement(clerkUserId: string): Statement {
  return {
    text: `INSERT INTO users (id, clerk_user_id, updated_at) VALUES (gen_random_uuid(), $1, now())
      ON CONFLICT (clerk_user_id) DO NOTHING`,
    values: [clerkUserId],
  };
}
