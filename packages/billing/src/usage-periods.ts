import type { BillingPeriod, PeriodPolicy } from "./billing-period";
import { lockKeyShared, type Tx } from "@wh/db";
import { iso } from "./iso";

/**
 * How increments and the monthly reset agree on a period, in Postgres:
 *
 * - Every increment holds a *shared* advisory lock on its period's key until it commits, and
 *   enters the period only if `usage_periods.closing_at` is NULL (else it moves to the next one).
 * - The reset takes the *exclusive* lock on the key only to set `closing_at`, in a transaction of
 *   milliseconds. It therefore waits for increments already in the period, and increments that
 *   come later find the period closing. The totals are written afterwards (close-usage-periods.ts).
 *
 * So a period's totals are exactly its final counters, and no increment is lost in a closed period.
 * Advisory locks live in memory: the shared lock costs no write on the hot path.
 */
export function periodLockKey(period: BillingPeriod): string {
  return `usage_period:${iso(period.start)}`;
}

/** More hops than this means the clock is far behind the closed periods: refuse rather than loop. */
const MAX_PERIOD_HOPS = 24;

/**
 * The period an increment made at `at` counts in: the one containing `at`, or the first open one
 * after it when that one is closing or closed already (a clock behind the reset's). Ensures the period's row
 * exists (the reset finds periods through these rows) and holds the shared lock until commit.
 */
export async function enterOpenPeriod(tx: Tx, policy: PeriodPolicy, at: Date): Promise<BillingPeriod> {
  let period = policy.periodContaining(at);
  for (let hop = 0; hop < MAX_PERIOD_HOPS; hop += 1) {
    await lockKeyShared(tx, periodLockKey(period));
    const closingAt = await ensurePeriodRow(tx, period);
    if (closingAt === null) return period;
    period = policy.next(period);
  }
  throw new Error(`no open usage period within ${MAX_PERIOD_HOPS} periods of ${iso(at)}`);
}

/** Read-only variant for reports: the period usage at `at` counts in, without locks or writes. */
export async function findOpenPeriod(tx: Tx, policy: PeriodPolicy, at: Date): Promise<BillingPeriod> {
  let period = policy.periodContaining(at);
  for (let hop = 0; hop < MAX_PERIOD_HOPS; hop += 1) {
    const rows = await tx.$queryRaw<{ closing_at: Date | null }[]>`
      SELECT closing_at FROM usage_periods WHERE period_start = ${iso(period.start)}::timestamptz`;
    if (!rows[0] || rows[0].closing_at === null) return period;
    period = policy.next(period);
  }
  throw new Error(`no open usage period within ${MAX_PERIOD_HOPS} periods of ${iso(at)}`);
}

/**
 * Inserts the period's row unless it exists, and returns its `closing_at` (NULL: open). Usually one statement:
 * the CTE returns the row it inserted, the second branch the row that was there. When another
 * transaction inserted the row concurrently, the INSERT waited for it to commit but the statement's
 * snapshot predates that commit and sees neither; a second statement (new snapshot) reads it.
 */
export async function ensurePeriodRow(tx: Tx, period: BillingPeriod): Promise<Date | null> {
  const rows = await tx.$queryRaw<{ closing_at: Date | null }[]>`
    WITH inserted AS (
      INSERT INTO usage_periods (period_start, period_end)
      VALUES (${iso(period.start)}::timestamptz, ${iso(period.end)}::timestamptz)
      ON CONFLICT (period_start) DO NOTHING
      RETURNING closing_at
    )
    SELECT closing_at FROM inserted
    UNION ALL
    SELECT closing_at FROM usage_periods WHERE period_start = ${iso(period.start)}::timestamptz`;
  const row =
    rows[0] ??
    (
      await tx.$queryRaw<{ closing_at: Date | null }[]>`
        SELECT closing_at FROM usage_periods WHERE period_start = ${iso(period.start)}::timestamptz`
    )[0];
  if (!row) throw new Error(`usage period ${iso(period.start)} could not be created`);
  return row.closing_at;
}
