import { createMigratedDatabase, type MigratedDatabase, type PrismaClient } from "@wh/db";
import { testServers, waitFor } from "@wh/testkit";
import { calendarMonthUtc, type BillingPeriod } from "./billing-period";
import { closeEndedPeriods, closeUsagePeriod, type ClosePeriodsOptions } from "./close-usage-periods";
import { PLANS } from "./plan-catalog";
import type { UsageOutcome } from "./plan-decision";
import { PlanValidator } from "./plan-validator";
import { periodLockKey } from "./usage-periods";
import { at, createUser, holdTransaction, type TestUser } from "./test-support/billing-fixtures";

/**
 * The monthly reset closes a period for every user at once, so each test runs on a migrated
 * database of its own: on the shared one it would close other tests' periods.
 */

const OCT = calendarMonthUtc.periodContaining(at("2026-10-15T00:00:00Z"));
const NOV = calendarMonthUtc.next(OCT);
const DEC = calendarMonthUtc.next(NOV);
const JAN = calendarMonthUtc.next(DEC);
const OPTIONS: ClosePeriodsOptions = { closedBy: "test", timeoutMs: 30_000 };

let database: MigratedDatabase;
let prisma: PrismaClient;

beforeEach(async () => {
  database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_billing", poolMax: 20 });
  prisma = database.prisma;
});

afterEach(async () => {
  await database.drop();
});

function meterAt(clock: Date | (() => Date)): PlanValidator {
  return new PlanValidator({ prisma, timeoutMs: 30_000, clock: typeof clock === "function" ? clock : () => clock });
}

async function use(user: TestUser, when: Date, metric: string, amount: number): Promise<UsageOutcome> {
  const outcome = await meterAt(when).recordUsage({ clerkUserId: user.clerkUserId, metric, amount });
  if (outcome.status !== "granted") throw new Error(`setup: expected a grant, got ${JSON.stringify(outcome)}`);
  return outcome;
}

async function counters(period: BillingPeriod): Promise<Record<string, number>> {
  const rows = await prisma.usageCounter.findMany({ where: { periodStart: period.start } });
  return Object.fromEntries(rows.map((row) => [`${row.userId}/${row.metric}`, row.used]));
}

async function totals(period: BillingPeriod): Promise<Record<string, number>> {
  const rows = await prisma.usagePeriodTotal.findMany({ where: { periodStart: period.start } });
  return Object.fromEntries(rows.map((row) => [`${row.userId}/${row.metric}`, row.used]));
}

const periodRow = (period: BillingPeriod) => prisma.usagePeriod.findUnique({ where: { periodStart: period.start } });

/** Until `count` backends of this database wait on a lock of the given kind (pg_stat_activity.wait_event). */
async function waitForBlocked(what: string, waitEvent: "advisory" | "transactionid", count: number): Promise<void> {
  await waitFor(what, async () => {
    const [row] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = ${waitEvent}::text`;
    return (row?.n ?? 0) >= count;
  });
}

describe("closing a usage period", () => {
  it("writes each user's totals, keeps the counters, and opens the next period for users with a plan", async () => {
    const starter = await createUser(prisma, { plan: "starter" });
    const idle = await createUser(prisma, { plan: "pro" });
    const lapsed = await createUser(prisma, { plan: "starter" });
    const deleted = await createUser(prisma, { plan: null, deleted: true });
    const noPlan = await createUser(prisma, { plan: null });
    await use(starter, at("2026-11-03T10:00:00Z"), "searches", 7);
    await use(starter, at("2026-11-20T10:00:00Z"), "exports", 2);
    await use(lapsed, at("2026-11-05T10:00:00Z"), "searches", 4);
    await prisma.user.update({ where: { id: lapsed.id }, data: { currentPlan: null } });

    const result = await closeUsagePeriod(prisma, NOV, { ...OPTIONS, closedBy: "repeat:usage-monthly-reset:1" });

    expect(result).toEqual({
      periodStart: NOV.start.toISOString(),
      periodEnd: NOV.end.toISOString(),
      outcome: "closed",
      totals: 5,
      opened: 4,
    });
    expect(await totals(NOV)).toEqual({
      [`${starter.id}/searches`]: 7,
      [`${starter.id}/exports`]: 2,
      [`${idle.id}/searches`]: 0,
      [`${idle.id}/exports`]: 0,
      // Usage counted before the plan went away stays in the history (no zero rows without a plan).
      [`${lapsed.id}/searches`]: 4,
    });
    expect(await counters(NOV)).toEqual({
      [`${starter.id}/searches`]: 7,
      [`${starter.id}/exports`]: 2,
      [`${lapsed.id}/searches`]: 4,
    });
    expect(await counters(DEC)).toEqual({
      [`${starter.id}/searches`]: 0,
      [`${starter.id}/exports`]: 0,
      [`${idle.id}/searches`]: 0,
      [`${idle.id}/exports`]: 0,
    });
    expect(await periodRow(NOV)).toMatchObject({ periodEnd: NOV.end, closedBy: "repeat:usage-monthly-reset:1", closedAt: expect.any(Date) });
    expect(await periodRow(DEC)).toMatchObject({ closedAt: null });
    // Deleted users and users without a plan get nothing opened and no zero rows.
    const untouched = await prisma.usageCounter.count({ where: { userId: { in: [deleted.id, noPlan.id] } } });
    expect(untouched).toBe(0);
  });

  it("has the effect of one run when run twice", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await use(user, at("2026-11-03T10:00:00Z"), "searches", 3);

    const first = await closeUsagePeriod(prisma, NOV, OPTIONS);
    const totalsAfterFirst = await totals(NOV);
    const closedAt = (await periodRow(NOV))?.closedAt;
    const second = await closeUsagePeriod(prisma, NOV, { ...OPTIONS, closedBy: "second" });

    expect(first.outcome).toBe("closed");
    expect(second).toMatchObject({ outcome: "already_closed", totals: 0, opened: 0 });
    expect(await totals(NOV)).toEqual(totalsAfterFirst);
    expect(await periodRow(NOV)).toMatchObject({ closedAt, closedBy: "test" });
  });

  it("has the effect of one run when eight workers run it at the same moment", async () => {
    const users = await Promise.all([1, 2, 3].map(() => createUser(prisma, { plan: "pro" })));
    for (const [index, user] of users.entries()) await use(user, at("2026-11-10T00:00:00Z"), "searches", index + 1);

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, worker) => closeEndedPeriods(prisma, JAN.start, { ...OPTIONS, closedBy: `worker-${worker}` })),
    );

    // Each period was closed by exactly one of them; the others found it closed.
    for (const period of [NOV, DEC]) {
      const outcomes = results.map((run) => run.find((result) => result.periodStart === period.start.toISOString())?.outcome);
      // (A run that starts after a period was closed begins behind it and does not even look.)
      expect(outcomes.filter((outcome) => outcome === "closed")).toHaveLength(1);
    }
    expect(Object.values(await totals(NOV)).sort()).toEqual([0, 0, 0, 1, 2, 3]);
    expect(Object.values(await totals(DEC))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await prisma.usagePeriodTotal.count()).toBe(12);
  });

  it("never erases or shadows usage already counted in the new period", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await use(user, at("2026-11-10T00:00:00Z"), "searches", 5);
    // The run is late: the user has already searched in December.
    await use(user, at("2026-12-01T00:00:05Z"), "searches", 2);

    await closeEndedPeriods(prisma, DEC.start, OPTIONS);

    expect(await counters(DEC)).toEqual({ [`${user.id}/searches`]: 2, [`${user.id}/exports`]: 0 });
    expect(await totals(NOV)).toEqual({ [`${user.id}/searches`]: 5, [`${user.id}/exports`]: 0 });
    const entitlements = await meterAt(at("2026-12-02T00:00:00Z")).entitlements(user.clerkUserId);
    expect(entitlements).toMatchObject({ status: "ok", entitlements: { metrics: { searches: { used: 2 } } } });
  });

  it("keeps every increment when many increments and three resets run at once", async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(prisma, { plan: "pro" })));
    // Increments stamped just before the end of November and just after, racing three resets.
    const lastMsOfNov = new Date(NOV.end.getTime() - 1);
    const increments = users.flatMap((user) =>
      Array.from({ length: 25 }, (_, i) =>
        meterAt(i % 2 === 0 ? lastMsOfNov : DEC.start).recordUsage({ clerkUserId: user.clerkUserId, metric: "searches" }),
      ),
    );
    const resets = [1, 2, 3].map(() => closeEndedPeriods(prisma, DEC.start, OPTIONS));

    const outcomes = await Promise.all(increments);
    await Promise.all(resets);

    expect(outcomes.filter((outcome) => outcome.status !== "granted")).toEqual([]);
    const nov = await counters(NOV);
    const dec = await counters(DEC);
    for (const user of users) {
      const key = `${user.id}/searches`;
      // Nothing lost: every grant is in one of the two periods.
      expect((nov[key] ?? 0) + (dec[key] ?? 0)).toBe(25);
      // December got at least the increments stamped in December; November's late ones moved there.
      expect(dec[key]).toBeGreaterThanOrEqual(12);
    }
    // The close record is exactly November's final counters: no increment landed after it.
    const novTotals = await totals(NOV);
    for (const [key, used] of Object.entries(nov)) expect(novTotals[key]).toBe(used);
    // Every increment answered with the period it was counted in.
    for (const outcome of outcomes) {
      expect([NOV.start.toISOString(), DEC.start.toISOString()]).toContain((outcome as { receipt: { periodStart: string } }).receipt.periodStart);
    }
  });

  it("waits for an increment still counting in the period, and includes it in the totals", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    // An increment in flight: it holds the period's shared lock and has written, not committed.
    const inFlight = await holdTransaction(prisma, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${periodLockKey(NOV)}::text, 0))`;
      await tx.$executeRaw`
        INSERT INTO usage_counters (user_id, metric, period_start, used, updated_at)
        VALUES (${user.id}::uuid, 'searches', ${NOV.start.toISOString()}::timestamptz, 7, now())`;
    });

    const reset = closeEndedPeriods(prisma, DEC.start, OPTIONS);
    await waitForBlocked("the reset to wait for the period's lock", "advisory", 1);
    await inFlight.commit();
    await reset;

    expect(await totals(NOV)).toEqual({ [`${user.id}/searches`]: 7, [`${user.id}/exports`]: 0 });
  });

  it("moves increments stamped in the old period during the reset to the new one, and never overwrites the new period", async () => {
    const busy = await createUser(prisma, { plan: "starter" });
    const other = await createUser(prisma, { plan: "starter" });
    await use(other, at("2026-11-10T00:00:00Z"), "searches", 4);
    // An increment in December, in flight while the reset opens December for everyone.
    const decemberIncrement = await holdTransaction(prisma, async (tx) => {
      await tx.$executeRaw`
        INSERT INTO usage_counters (user_id, metric, period_start, used, updated_at)
        VALUES (${busy.id}::uuid, 'searches', ${DEC.start.toISOString()}::timestamptz, 5, now())`;
    });
    const reset = closeEndedPeriods(prisma, DEC.start, OPTIONS);
    // November is marked closing; the reset's batch waits to open December over the in-flight row.
    await waitForBlocked("the reset to wait on the in-flight December row", "transactionid", 1);

    // Meanwhile a request whose clock still says November arrives: it counts in December.
    const lateNovember = meterAt(new Date(NOV.end.getTime() - 1)).recordUsage({ clerkUserId: other.clerkUserId, metric: "searches" });
    await decemberIncrement.commit();
    const [late] = await Promise.all([lateNovember, reset]);

    expect(late).toMatchObject({ status: "granted", receipt: { periodStart: DEC.start.toISOString(), used: 1 } });
    expect(await totals(NOV)).toEqual({
      [`${busy.id}/searches`]: 0,
      [`${busy.id}/exports`]: 0,
      [`${other.id}/searches`]: 4,
      [`${other.id}/exports`]: 0,
    });
    expect(await counters(NOV)).toEqual({ [`${other.id}/searches`]: 4 });
    expect(await counters(DEC)).toEqual({
      [`${busy.id}/searches`]: 5,
      [`${busy.id}/exports`]: 0,
      [`${other.id}/searches`]: 1,
      [`${other.id}/exports`]: 0,
    });
  });

  it("finishes a close that stopped after marking the period, which meanwhile counted nothing more", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await use(user, at("2026-11-10T00:00:00Z"), "searches", 3);
    // A run marked November closing and stopped (a crash) before any batch.
    await prisma.usagePeriod.update({ where: { periodStart: NOV.start }, data: { closingAt: new Date() } });

    const late = await meterAt(new Date(NOV.end.getTime() - 1)).recordUsage({ clerkUserId: user.clerkUserId, metric: "searches" });
    const [result] = await closeEndedPeriods(prisma, DEC.start, OPTIONS);

    expect(late).toMatchObject({ status: "granted", receipt: { periodStart: DEC.start.toISOString(), used: 1 } });
    expect(result).toMatchObject({ periodStart: NOV.start.toISOString(), outcome: "closed" });
    expect(await totals(NOV)).toEqual({ [`${user.id}/searches`]: 3, [`${user.id}/exports`]: 0 });
    expect(await counters(DEC)).toEqual({ [`${user.id}/searches`]: 1, [`${user.id}/exports`]: 0 });
  });

  it("counts an increment stamped in a closed period in the next one", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await closeEndedPeriods(prisma, DEC.start, OPTIONS);

    // A clock behind the reset's: it still believes it is November.
    const late = await meterAt(new Date(NOV.end.getTime() - 1)).recordUsage({ clerkUserId: user.clerkUserId, metric: "exports" });

    expect(late).toMatchObject({ status: "granted", receipt: { periodStart: DEC.start.toISOString(), used: 1 } });
    expect(await counters(NOV)).toEqual({});
  });
});

describe("catching up on missed resets", () => {
  it("closes every period that ended, oldest first, after months without a run", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await use(user, at("2026-10-20T00:00:00Z"), "searches", 1);
    await use(user, at("2026-11-20T00:00:00Z"), "searches", 2);
    await use(user, at("2027-01-02T00:00:00Z"), "searches", 3);

    // The worker was down from mid-October; it comes back on January 10th.
    const results = await closeEndedPeriods(prisma, at("2027-01-10T08:00:00Z"), { ...OPTIONS, closedBy: "startup" });

    expect(results.map((result) => [result.periodStart.slice(0, 7), result.outcome])).toEqual([
      ["2026-10", "closed"],
      ["2026-11", "closed"],
      ["2026-12", "closed"],
    ]);
    expect(await totals(OCT)).toEqual({ [`${user.id}/searches`]: 1, [`${user.id}/exports`]: 0 });
    expect(await totals(NOV)).toEqual({ [`${user.id}/searches`]: 2, [`${user.id}/exports`]: 0 });
    expect(await totals(DEC)).toEqual({ [`${user.id}/searches`]: 0, [`${user.id}/exports`]: 0 });
    expect(await counters(JAN)).toEqual({ [`${user.id}/searches`]: 3, [`${user.id}/exports`]: 0 });
    expect(await periodRow(JAN)).toMatchObject({ closedAt: null });

    // The one late occurrence BullMQ runs afterwards (scheduled for December 1st) applies nothing twice.
    const late = await closeEndedPeriods(prisma, DEC.start, { ...OPTIONS, closedBy: "repeat:late" });
    expect(late.filter((result) => result.outcome === "closed")).toEqual([]);
    expect(await closeUsagePeriod(prisma, NOV, OPTIONS)).toMatchObject({ outcome: "already_closed" });
    expect(await prisma.usagePeriodTotal.count()).toBe(6);
  });

  it("closes the period that just ended on a database that never had a reset", async () => {
    const user = await createUser(prisma, { plan: "business" });

    const results = await closeEndedPeriods(prisma, DEC.start, OPTIONS);

    expect(results).toEqual([expect.objectContaining({ periodStart: NOV.start.toISOString(), outcome: "closed", opened: 2 })]);
    expect(await counters(DEC)).toEqual({ [`${user.id}/searches`]: 0, [`${user.id}/exports`]: 0 });
  });

  it("closes nothing before a period has ended", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    await use(user, at("2026-11-20T00:00:00Z"), "searches", 2);

    expect(await closeEndedPeriods(prisma, new Date(NOV.end.getTime() - 1), OPTIONS)).toEqual([]);
    expect(await periodRow(NOV)).toMatchObject({ closedAt: null });
  });

  it("leaves usage counted against plan limits in the new period: the limit starts afresh", async () => {
    const user = await createUser(prisma, { plan: "starter" });
    const limit = PLANS.starter.monthlyLimits.exports;
    await use(user, at("2026-11-20T00:00:00Z"), "exports", limit);
    await closeEndedPeriods(prisma, DEC.start, OPTIONS);

    const december = await meterAt(at("2026-12-01T00:00:01Z")).recordUsage({ clerkUserId: user.clerkUserId, metric: "exports", amount: limit });
    expect(december).toMatchObject({ status: "granted", receipt: { used: limit, remaining: 0 } });
    expect(await totals(NOV)).toMatchObject({ [`${user.id}/exports`]: limit });
  });
});

describe("closing a period while usage is counted", () => {
  const USERS = 10_000;
  const INCREMENTS = 200;
  const WAVE = 10;
  /** The dashboard's default USAGE_DECISION_TIMEOUT_MS: what a caller of POST /v1/usage gets. */
  const DECISION_TIMEOUT_MS = 2_000;

  it("answers every increment, loses none, and writes exact totals for 10,000 users", async () => {
    const prefix = `close_load_${Date.now()}_`;
    await prisma.$executeRaw`
      INSERT INTO users (id, clerk_user_id, current_plan, updated_at)
      SELECT gen_random_uuid(), ${prefix} || g, 'pro', now() FROM generate_series(1, ${USERS}::int) AS g`;
    const active = Array.from({ length: 50 }, (_, i) => `${prefix}${i + 1}`);
    const lastMsOfNov = new Date(NOV.end.getTime() - 1);
    const meters = [lastMsOfNov, DEC.start].map(
      (now) => new PlanValidator({ prisma, timeoutMs: DECISION_TIMEOUT_MS, clock: () => now }),
    );

    let closeSettled = false;
    const close = closeEndedPeriods(prisma, DEC.start, OPTIONS).finally(() => {
      closeSettled = true;
    });
    const outcomes: UsageOutcome[] = [];
    let wavesDuringClose = 0;
    for (let sent = 0; sent < INCREMENTS; sent += WAVE) {
      if (!closeSettled) wavesDuringClose += 1;
      const wave = Array.from({ length: WAVE }, (_, i) => {
        const n = sent + i;
        return meters[n % 2]!.recordUsage({ clerkUserId: active[n % active.length]!, metric: "searches" });
      });
      outcomes.push(...(await Promise.all(wave)));
    }
    const [result] = await close;

    // The premise: increments ran while the period was being closed.
    expect(wavesDuringClose).toBeGreaterThan(0);
    expect(result).toMatchObject({ periodStart: NOV.start.toISOString(), outcome: "closed", totals: 2 * USERS });
    expect(outcomes.filter((outcome) => outcome.status !== "granted")).toEqual([]);

    const [check] = await prisma.$queryRaw<Record<string, number>[]>`
      SELECT
        (SELECT coalesce(sum(used), 0)::int FROM usage_counters WHERE period_start IN (${NOV.start}, ${DEC.start})) AS counted,
        (SELECT count(*)::int FROM usage_period_totals WHERE period_start = ${NOV.start}) AS totals,
        (SELECT count(*)::int FROM usage_period_totals t
           LEFT JOIN usage_counters c ON c.user_id = t.user_id AND c.metric = t.metric AND c.period_start = t.period_start
           WHERE t.period_start = ${NOV.start} AND t.used <> coalesce(c.used, 0)) AS wrong_totals,
        (SELECT count(*)::int FROM usage_counters c
           WHERE c.period_start = ${NOV.start} AND NOT EXISTS (
             SELECT 1 FROM usage_period_totals t
             WHERE t.user_id = c.user_id AND t.metric = c.metric AND t.period_start = c.period_start)) AS missing_totals,
        (SELECT count(*)::int FROM usage_counters WHERE period_start = ${DEC.start}) AS december_counters`;
    expect(check).toEqual({
      // None lost: every grant is in November or December.
      counted: INCREMENTS,
      // Exact: one total per user and metric, each the final November counter (zero when unused).
      totals: 2 * USERS,
      wrong_totals: 0,
      missing_totals: 0,
      // Every user with a plan has both December counters.
      december_counters: 2 * USERS,
    });
  });
});
