import { boundedTransaction, lockKey, type PrismaClient } from "@wh/db";
import { calendarMonthUtc, previousPeriod, type BillingPeriod, type PeriodPolicy } from "./billing-period";
import { iso } from "./iso";
import { METERED_METRICS, PLAN_IDS, PLANS, type PlanCatalog } from "./plan-catalog";
import { ensurePeriodRow, periodLockKey } from "./usage-periods";

export interface ClosePeriodsOptions {
  /** Recorded in usage_periods.closed_by: the scheduler job id, or `startup`. */
  closedBy: string;
  /** Budget of each transaction of a close: the mark, each batch. */
  timeoutMs: number;
  /** Users per batch statement of a close; 500 by default. */
  batchSize?: number;
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

const DEFAULT_BATCH_SIZE = 500;

/** A bound on one call, so a wrong clock cannot make it walk through centuries. */
const MAX_PERIODS_PER_CALL = 240;

/**
 * Closes every period whose end is at or before `through` and that is not closed yet, oldest
 * first, each in short transactions of its own (closeUsagePeriod). This is the monthly reset and
 * its catch-up at once: the scheduled run passes its scheduled time (or later), a starting worker
 * passes its clock.
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
 * Closes one period, once, in short steps, so `POST /v1/usage` never waits behind a close for
 * longer than one batch statement:
 *
 * 1. Mark (one transaction of milliseconds): the exclusive lock on the period's key, the period's
 *    row FOR UPDATE; closed already → nothing to do; else `closing_at` is set (kept when an
 *    earlier run set it and stopped), and the next period's row is created. Commit.
 * 2. Batches of `batchSize` users (by id), each one statement in its own transaction: the
 *    period-close record gets each user's final total per metric (every counter of the period,
 *    and a zero for users with a plan who used nothing), and the next period gets a zero counter
 *    per metric for every user with a plan. ON CONFLICT DO NOTHING on both: a row already there
 *    (an earlier or concurrent run's total, an increment's counter) is kept as it is.
 * 3. `closed_at` is set; the run whose UPDATE set it reports `closed`, any other `already_closed`.
 *
 * Why the totals are exact although increments keep running throughout:
 * - An increment holds the period's *shared* lock from before it reads `closing_at` until it
 *   commits (usage-periods.ts). The mark's exclusive lock is granted only after every increment
 *   that holds the shared lock has committed or rolled back, and it is held until the mark
 *   commits. An increment that asks for the shared lock later gets it after that commit, and its
 *   next statement (a new snapshot, read committed) sees `closing_at` and counts in the next
 *   period instead. So once the mark has committed, no transaction writes this period's counters
 *   again: they are final.
 * - Every batch statement starts after the mark committed, so its snapshot holds those final
 *   counters: each total it writes is the final value, whichever run writes it and however often.
 * - Next-period counters are only ever created with 0 or added to, never overwritten: an
 *   increment that came first keeps its usage; one that comes later adds to the zero row. A batch
 *   holds its uncommitted rows for the length of one statement, which is all an increment of a
 *   user in that batch may wait.
 * - A run that stops half-way leaves `closing_at` set and `closed_at` NULL: the period stays
 *   closed to increments, and the next run (or the scheduler's catch-up) finishes the batches,
 *   which write only what is missing.
 * Counters are never reset or deleted: the history stays queryable.
 */
export async function closeUsagePeriod(
  prisma: PrismaClient,
  period: BillingPeriod,
  options: ClosePeriodsOptions,
): Promise<PeriodCloseResult> {
  const policy = options.periodPolicy ?? calendarMonthUtc;
  const catalog = options.catalog ?? PLANS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const metrics = [...METERED_METRICS];
  const plans = PLAN_IDS.filter((id) => catalog[id] !== undefined);
  const start = iso(period.start);
  const next = policy.next(period);
  const result = { periodStart: start, periodEnd: iso(period.end), totals: 0, opened: 0 };

  const marked = await boundedTransaction(prisma, options.timeoutMs, async (tx) => {
    await lockKey(tx, periodLockKey(period));
    await ensurePeriodRow(tx, period);
    const [row] = await tx.$queryRaw<{ closed_at: Date | null }[]>`
      SELECT closed_at FROM usage_periods WHERE period_start = ${start}::timestamptz FOR UPDATE`;
    if (row?.closed_at) return false;
    await tx.$executeRaw`
      UPDATE usage_periods SET closing_at = coalesce(closing_at, now()) WHERE period_start = ${start}::timestamptz`;
    await ensurePeriodRow(tx, next);
    return true;
  });
  if (!marked) return { ...result, outcome: "already_closed" };

  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const [batch] = await boundedTransaction(prisma, options.timeoutMs, (tx) => tx.$queryRaw<CloseBatch[]>`
      WITH batch AS (
        SELECT id, (current_plan = ANY(${plans}::text[]) AND deleted_at IS NULL) AS has_plan
        FROM users WHERE id > ${after}::uuid ORDER BY id LIMIT ${batchSize}::int
      ), totals AS (
        INSERT INTO usage_period_totals (user_id, period_start, metric, used)
        SELECT c.user_id, c.period_start, c.metric, c.used
        FROM usage_counters c JOIN batch b ON b.id = c.user_id
        WHERE c.period_start = ${start}::timestamptz
        UNION ALL
        SELECT b.id, ${start}::timestamptz, m.metric, 0
        FROM batch b CROSS JOIN unnest(${metrics}::text[]) AS m(metric)
        WHERE b.has_plan AND NOT EXISTS (
          SELECT 1 FROM usage_counters c
          WHERE c.user_id = b.id AND c.metric = m.metric AND c.period_start = ${start}::timestamptz
        )
        ON CONFLICT DO NOTHING
        RETURNING 1
      ), opened AS (
        INSERT INTO usage_counters (user_id, metric, period_start, used, updated_at)
        SELECT b.id, m.metric, ${iso(next.start)}::timestamptz, 0, now()
        FROM batch b CROSS JOIN unnest(${metrics}::text[]) AS m(metric)
        WHERE b.has_plan
        ON CONFLICT (user_id, metric, period_start) DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1) AS last_user_id,
             (SELECT count(*) FROM totals)::int AS totals,
             (SELECT count(*) FROM opened)::int AS opened`);
    if (!batch?.last_user_id) break;
    result.totals += batch.totals;
    result.opened += batch.opened;
    after = batch.last_user_id;
  }

  const closed = await prisma.$executeRaw`
    UPDATE usage_periods SET closed_at = now(), closed_by = ${options.closedBy}::text
    WHERE period_start = ${start}::timestamptz AND closed_at IS NULL`;
  return { ...result, outcome: closed === 1 ? "closed" : "already_closed" };
}

interface CloseBatch {
  /** The greatest user id of the batch; NULL when no user was left. */
  last_user_id: string | null;
  totals: number;
  opened: number;
}
