import type { Tx } from "./handler-types";

/**
 * Serializes work on one entity across workers for the rest of the transaction. Rows that may
 * not exist yet cannot be locked with FOR UPDATE; an advisory lock on their key can.
 */
export async function lockEntity(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
