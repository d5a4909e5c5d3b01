import type { BillingPeriod } from "./billing-period";
import type { Tx } from "@wh/db";
import { iso } from "./iso";

export interface IncrementRequest {
  userId: string;
  metric: string;
  period: BillingPeriod;
  amount: number;
  limit: number;
}

/**
 * The atomic check-and-increment: one INSERT … ON CONFLICT DO UPDATE whose WHERE re-checks the
 * limit on the row version it locked. Concurrent increments of one counter serialize on that row
 * lock, each sees the previous one's result, and the statement adds `amount` entirely or not at
 * all. No read-then-write: 200 concurrent requests against a limit of 100 grant exactly 100.
 */
export async function incrementCounter(tx: Tx, request: IncrementRequest): Promise<{ granted: boolean; used: number }> {
  const { userId, metric, period, amount, limit } = request;
  const rows = await tx.$queryRaw<{ used: number }[]>`
    INSERT INTO usage_counters AS c (user_id, metric, period_start, used, updated_at)
    SELECT ${userId}::uuid, ${metric}::text, ${iso(period.start)}::timestamptz, ${amount}::int, now()
    WHERE ${amount}::int <= ${limit}::int
    ON CONFLICT (user_id, metric, period_start)
    DO UPDATE SET used = c.used + EXCLUDED.used, updated_at = now()
    WHERE c.used + EXCLUDED.used <= ${limit}::int
    RETURNING c.used`;
  if (rows[0]) return { granted: true, used: rows[0].used };
  return { granted: false, used: await readCounter(tx, userId, metric, period) };
}

export async function readCounter(tx: Tx, userId: string, metric: string, period: BillingPeriod): Promise<number> {
  const rows = await tx.$queryRaw<{ used: number }[]>`
    SELECT used FROM usage_counters
    WHERE user_id = ${userId}::uuid AND metric = ${metric}::text AND period_start = ${iso(period.start)}::timestamptz`;
  return rows[0]?.used ?? 0;
}

/** Every counter of a user in a period, by metric. */
export async function readCounters(tx: Tx, userId: string, period: BillingPeriod): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ metric: string; used: number }[]>`
    SELECT metric, used FROM usage_counters
    WHERE user_id = ${userId}::uuid AND period_start = ${iso(period.start)}::timestamptz`;
  return new Map(rows.map((row) => [row.metric, row.used]));
}
