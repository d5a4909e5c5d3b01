import type { Tx } from "./bounded-transaction";
import type { Statement } from "./pipelined-transaction";

/**
 * Transaction-scoped advisory locks on a text key: they serialize work on things that may not
 * have a row yet (a subscription seen for the first time, a usage period), which FOR UPDATE
 * cannot lock. Released at commit or rollback.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`;
}

/** The shared form: many holders at once, all excluded while someone holds `lockKey`. */
export async function lockKeyShared(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${key}::text, 0))`;
}

/** One statement taking `lockKey`'s locks on several keys, in the order given. */
export function lockKeysStatement(keys: string[]): Statement {
  return {
    text: `SELECT ${keys.map((_, index) => `pg_advisory_xact_lock(hashtextextended($${index + 1}::text, 0))`).join(", ")}`,
    values: keys,
  };
}
