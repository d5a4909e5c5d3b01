import { boundedTransaction, lockKey, type PrismaClient } from "@wh/db";
import { calendarMonthUtc, previousPeriod, type BillingPeriod, type PeriodPolicy } from "./billing-period";
import { iso } from "./iso";
import { METERED_METRICS, PLAN_IDS, PLANS, type PlanCatalog } from "./plan-catalog";
import { ensurePeriodRow, periodLockKey } from "./usage-periods";

export interface ClosePeriodsOptions {
  /** Recorded in usage_periods.closed_by: the scheduler job id, or `startup`. */
  closedBy: string;
  /** Budget of one period's transaction. */
  timeoutMs: number;
  periodPolicy?: PeriodPolicy;
  catalog?: PlanCatalog;
}

export interface PeriodCloseResult {
  periodStart: string;
  periodEnd: string;
  /** `already_closed`: someone closed it before (a second run, another worker): nothing was done. */
  outcome: "closed" | "already_closed";
  /** Period-close rows written (user × metric). */
  totals: number;
  /** Zero counters created in the next period for users with a plan. */
  opened: number;
}

/** A bound on one call, so a wrong clock cannot make it walk through centuries. */
const MAX_PERIODS_PER_CALL = 240;

/**
 * Closes every period whose end is at or before `through` and that is not closed yet, oldest
 * first, each in a transaction of its own. This is the monthly reset and its catch-up at once:
 * the scheduled run passes its scheduled time (or later), a starting worker passes its clock.
 * Idempotent: a period is closed once, whoever calls, however often, and however late.
 */
export async function closeEndedPeriods(
  prisma: PrismaClient,
  through: Date,
  options: ClosePeriodsOptions,
): Promise<PeriodCloseResult[]> {
  const policy = options.periodPolicy ?? calendarMonthUtc;
  const results: PeriodCloseResult[] = [];
  let period = await firstPeriodToClose(prisma, policy, through);
  while (period.end.getTime() <= through.getTime()) {
    if (results.length >= MAX_PERIODS_PER_CALL) throw new Error(`more than ${MAX_PERIODS_PER_CALL} periods to close`);
    results.push(await closeUsagePeriod(prisma, period, options));
    period = policy.next(period);
  }
  // Periods left open behind the last closed one: only a clock far behind the others writes there.
  const stragglers = await prisma.$queryRaw<{ period_start: Date; period_end: Date }[]>`
    SELECT period_start, period_end FROM usage_periods
    WHERE closed_at IS NULL AND period_end <= ${iso(through)}::timestamptz
    ORDER BY period_start`;
  for (const row of stragglers) {
    results.push(await closeUsagePeriod(prisma, { start: row.period_start, end: row.period_end }, options));
  }
  return results;
}

/**
 * Where closing starts: after the last closed period; with none closed yet, at the oldest period
 * anything was counted in; on an empty table, at the period that ended last before `through`.
 */
async function firstPeriodToClose(prisma: PrismaClient, policy: PeriodPolicy, through: Date): Promise<BillingPeriod> {
  const [row] = await prisma.$queryRaw<{ last_closed: Date | null; earliest: Date | null }[]>`
    SELECT max(period_start) FILTER (WHERE closed_at IS NOT NULL) AS last_closed, min(period_start) AS earliest
    FROM usage_periods`;
  if (row?.last_closed) return policy.next(policy.periodContaining(row.last_closed));
  if (row?.earliest) return policy.periodContaining(row.earliest);
  return previousPeriod(policy, policy.periodContaining(through));
}

/**
 * Closes one period, once. In one transaction:
 * 1. the exclusive lock on the period's key waits for increments already counting in it and
 *    holds back new ones (they find it closed afterwards and count in the next period);
 * 2. the period's row is locked; if it is closed already, nothing happens;
 * 3. the period-close record gets each user's final total per metric: every counter of the
 *    period, and a zero for users with a plan who used nothing;
 * 4. the next period is opened: its row, and a zero counter per metric for every user with a
 *    plan. ON CONFLICT DO NOTHING: a counter an increment already created there is kept as it is;
 * 5. the period is marked closed.
 * Counters are never reset or deleted: the history stays queryable.
 */
export async function closeUsagePeriod(
  prisma: PrismaClient,
  period: BillingPeriod,
  options: ClosePeriodsOptions,
): Promise<PeriodCloseResult> {
  const policy = options.periodPolicy ?? calendarMonthUtc;
  const catalog = options.catalog ?? PLANS;
  const metrics = [...METERED_METRICS];
  const plans = PLAN_IDS.filter((id) => catalog[id] !== undefined);
  const start = iso(period.start);
  const next = policy.next(period);
  const result = { periodStart: start, periodEnd: iso(period.end), totals: 0, opened: 0 };

  return boundedTransaction(prisma, options.timeoutMs, async (tx) => {
    await lockKey(tx, periodLockKey(period));
    await ensurePeriodRow(tx, period);
    const [row] = await tx.$queryRaw<{ closed_at: Date | null }[]>`
      SELECT closed_at FROM usage_periods WHERE period_start = ${start}::timestamptz FOR UPDATE`;
    if (row?.closed_at) return { ...result, outcome: "already_closed" as const };

    const totals = await tx.$executeRaw`
      INSERT INTO usage_period_totals (user_id, period_start, metric, used)
      SELECT c.user_id, c.period_start, c.metric, c.used
      FROM usage_counters c
      WHERE c.period_start = ${start}::timestamptz
      UNION ALL
      SELECT u.id, ${start}::timestamptz, m.metric, 0
      FROM users u CROSS JOIN unnest(${metrics}::text[]) AS m(metric)
      WHERE u.current_plan = ANY(${plans}::text[]) AND u.deleted_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM usage_counters c
          WHERE c.user_id = u.id AND c.metric = m.metric AND c.period_start = ${start}::timestamptz
        )
      ON CONFLICT DO NOTHING`;

    await ensurePeriodRow(tx, next);
    const opened = await tx.$executeRaw`
      INSERT INTO usage_counters (user_id, metric, period_start, used, updated_at)
      SELECT u.id, m.metric, ${iso(next.start)}::timestamptz, 0, now()
      FROM users u CROSS JOIN unnest(${metrics}::text[]) AS m(metric)
      WHERE u.current_plan = ANY(${plans}::text[]) AND u.deleted_at IS NULL
      ON CONFLICT (user_id, metric, period_start) DO NOTHING`;

    await tx.$executeRaw`
      UPDATE usage_periods SET closed_at = now(), closed_by = ${options.closedBy}::text
      WHERE period_start = ${start}::timestamptz`;
    return { ...result, outcome: "closed" as const, totals, opened };
  });
}
