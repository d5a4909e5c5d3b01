import { createHash } from "node:crypto";
import { lockKey, type PrismaClient, type Tx } from "@wh/db";
import { z } from "zod";
import { iso } from "./iso";
import { PLAN_IDS } from "./plan-catalog";
import type { UsageReceipt } from "./plan-decision";

/**
 * Idempotency keys of usage increments. A key is scoped to the user (two users may use the same
 * key) and is written in the transaction of the increment it protects: either both are committed
 * or neither. A transaction-scoped advisory lock on (user, key) makes a concurrent retry wait for
 * the first request and then replay its answer instead of counting again.
 */

/** How long a key protects a request unless configured otherwise: 24 hours. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Keys are opaque strings (a UUID is typical); printable ASCII, at most 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The outcomes worth replaying: both were decisions on the request's merits. */
export interface StoredOutcome {
  status: "granted" | "limit_reached";
  receipt: UsageReceipt;
}

const storedOutcomeSchema = z.object({
  status: z.enum(["granted", "limit_reached"]),
  receipt: z.object({
    metric: z.string(),
    amount: z.number().int(),
    plan: z.enum(PLAN_IDS),
    periodStart: z.string(),
    periodEnd: z.string(),
    used: z.number().int(),
    limit: z.number().int(),
    remaining: z.number().int(),
  }),
});

/** The request's fingerprint: the same key with another metric or amount is a different request. */
export function requestFingerprint(request: { metric: string; amount: number }): string {
  return createHash("sha256").update(JSON.stringify([request.metric, request.amount])).digest("hex");
}

export async function lockIdempotencyKey(tx: Tx, userId: string, key: string): Promise<void> {
  await lockKey(tx, `usage_idempotency:${userId}:${key}`);
}

export type KeyLookup =
  | { found: false }
  | { found: true; requestHash: string; outcome: StoredOutcome };

/** The live entry of a key. An expired entry is deleted here, so the key can be used afresh. */
export async function findIdempotencyKey(tx: Tx, userId: string, key: string, now: Date): Promise<KeyLookup> {
  const rows = await tx.$queryRaw<{ request_hash: string; outcome: unknown; expires_at: Date }[]>`
    SELECT request_hash, outcome, expires_at FROM usage_idempotency_keys
    WHERE user_id = ${userId}::uuid AND key = ${key}::text`;
  const row = rows[0];
  if (!row) return { found: false };
  if (row.expires_at.getTime() <= now.getTime()) {
    await tx.$executeRaw`DELETE FROM usage_idempotency_keys WHERE user_id = ${userId}::uuid AND key = ${key}::text`;
    return { found: false };
  }
  return { found: true, requestHash: row.request_hash, outcome: storedOutcomeSchema.parse(row.outcome) };
}

export async function storeIdempotencyKey(
  tx: Tx,
  entry: { userId: string; key: string; requestHash: string; outcome: StoredOutcome; expiresAt: Date },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO usage_idempotency_keys (user_id, key, request_hash, outcome, expires_at)
    VALUES (${entry.userId}::uuid, ${entry.key}::text, ${entry.requestHash}::text,
            ${JSON.stringify(entry.outcome)}::jsonb, ${iso(entry.expiresAt)}::timestamptz)`;
}

/**
 * Deletes keys that expired before `now`, `batchSize` rows per statement so no statement holds
 * many row locks for long. Returns how many rows went.
 */
export async function deleteExpiredIdempotencyKeys(
  prisma: PrismaClient,
  options: { now: Date; batchSize: number },
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await prisma.$executeRaw`
      DELETE FROM usage_idempotency_keys k
      USING (
        SELECT user_id, key FROM usage_idempotency_keys
        WHERE expires_at <= ${iso(options.now)}::timestamptz
        LIMIT ${options.batchSize}::int
        FOR UPDATE SKIP LOCKED
      ) AS doomed
      WHERE k.user_id = doomed.user_id AND k.key = doomed.key`;
    deleted += count;
    if (count < options.batchSize) return deleted;
  }
}
