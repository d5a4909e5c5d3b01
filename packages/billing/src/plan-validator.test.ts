import { createPrismaClient, type PrismaClient } from "@wh/db";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, testServers, uniqueId, waitFor } from "@wh/testkit";
import { calendarMonthUtc } from "./billing-period";
import { PLANS } from "./plan-catalog";
import type { UsageOutcome } from "./plan-decision";
import { MAX_USAGE_AMOUNT, PlanValidator } from "./plan-validator";
import { periodLockKey } from "./usage-periods";
import { createUser, deletePeriodsOfYear, deleteUsers, holdTransaction, privateYear, type TestUser } from "./test-support/billing-fixtures";

/**
 * Against the shared Postgres, on users of its own. The clock sits in a year of this file's own,
 * so the periods it counts in are its own too.
 */
const YEAR = privateYear();
const MID_MAY = new Date(Date.UTC(YEAR, 4, 15, 12));
const MAY = calendarMonthUtc.periodContaining(MID_MAY);
const STARTER_SEARCHES = PLANS.starter.monthlyLimits.searches;

let prisma: PrismaClient;
const users: TestUser[] = [];

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 20 });
});

afterAll(async () => {
  await deleteUsers(prisma, users);
  await deletePeriodsOfYear(prisma, YEAR);
  await prisma.$disconnect();
});

async function user(plan: string | null, deleted = false): Promise<TestUser> {
  const created = await createUser(prisma, { plan, deleted });
  users.push(created);
  return created;
}

function validator(options: { clock?: () => Date; timeoutMs?: number; client?: PrismaClient } = {}): PlanValidator {
  return new PlanValidator({
    prisma: options.client ?? prisma,
    timeoutMs: options.timeoutMs ?? 20_000,
    clock: options.clock ?? (() => MID_MAY),
  });
}

const counter = async (userId: string, metric = "searches", periodStart = MAY.start): Promise<number | null> =>
  (await prisma.usageCounter.findUnique({ where: { userId_metric_periodStart: { userId, metric, periodStart } } }))?.used ?? null;

const tally = (outcomes: UsageOutcome[]) =>
  outcomes.reduce<Record<string, number>>((counts, outcome) => {
    const key = outcome.status === "denied" ? `denied:${outcome.reason}` : outcome.status;
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {});

describe("PlanValidator.recordUsage", () => {
  it("counts within the limit and answers with the period's usage", async () => {
    const { clerkUserId, id } = await user("starter");

    const first = await validator().recordUsage({ clerkUserId, metric: "searches" });
    const second = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 4 });

    expect(first).toEqual({
      status: "granted",
      replayed: false,
      receipt: {
        metric: "searches",
        amount: 1,
        plan: "starter",
        periodStart: MAY.start.toISOString(),
        periodEnd: MAY.end.toISOString(),
        used: 1,
        limit: STARTER_SEARCHES,
        remaining: STARTER_SEARCHES - 1,
      },
    });
    expect(second).toMatchObject({ status: "granted", receipt: { amount: 4, used: 5, remaining: STARTER_SEARCHES - 5 } });
    expect(await counter(id)).toBe(5);
  });

  it("is all or nothing: an amount that does not fit is refused whole and counts nothing", async () => {
    const { clerkUserId, id } = await user("starter");
    await validator().recordUsage({ clerkUserId, metric: "searches", amount: STARTER_SEARCHES - 2 });

    const tooMuch = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 3 });
    expect(tooMuch).toMatchObject({ status: "limit_reached", receipt: { used: STARTER_SEARCHES - 2, remaining: 2 } });
    expect(await counter(id)).toBe(STARTER_SEARCHES - 2);

    const fits = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 2 });
    expect(fits).toMatchObject({ status: "granted", receipt: { used: STARTER_SEARCHES, remaining: 0 } });
    const full = await validator().recordUsage({ clerkUserId, metric: "searches" });
    expect(full).toMatchObject({ status: "limit_reached", receipt: { used: STARTER_SEARCHES, remaining: 0 } });
    expect(await counter(id)).toBe(STARTER_SEARCHES);
  });

  it("refuses an amount above the plan's whole limit without creating a counter", async () => {
    const { clerkUserId, id } = await user("starter");
    const outcome = await validator().recordUsage({ clerkUserId, metric: "exports", amount: PLANS.starter.monthlyLimits.exports + 1 });
    expect(outcome).toMatchObject({ status: "limit_reached", receipt: { used: 0 } });
    expect(await counter(id, "exports")).toBeNull();
  });

  it("grants exactly the limit to 200 concurrent requests against a limit of 100", async () => {
    const { clerkUserId, id } = await user("starter");
    const meter = validator();

    const outcomes = await Promise.all(
      Array.from({ length: 2 * STARTER_SEARCHES }, () => meter.recordUsage({ clerkUserId, metric: "searches" })),
    );

    expect(tally(outcomes)).toEqual({ granted: STARTER_SEARCHES, limit_reached: STARTER_SEARCHES });
    expect(await counter(id)).toBe(STARTER_SEARCHES);
    // Every grant saw a different count: no two requests were granted against the same state.
    const grantedCounts = outcomes.flatMap((outcome) => (outcome.status === "granted" ? [outcome.receipt.used] : []));
    expect(new Set(grantedCounts).size).toBe(STARTER_SEARCHES);
  });

  it("grants whole amounts only under concurrency: 60 requests of 3 against 100 grant 33", async () => {
    const { clerkUserId, id } = await user("starter");
    const meter = validator();

    const outcomes = await Promise.all(
      Array.from({ length: 60 }, () => meter.recordUsage({ clerkUserId, metric: "searches", amount: 3 })),
    );

    expect(tally(outcomes)).toEqual({ granted: 33, limit_reached: 27 });
    expect(await counter(id)).toBe(99);
  });

  it("keeps metrics and users apart", async () => {
    const a = await user("starter");
    const b = await user("starter");
    await validator().recordUsage({ clerkUserId: a.clerkUserId, metric: "searches", amount: 7 });
    await validator().recordUsage({ clerkUserId: a.clerkUserId, metric: "exports", amount: 2 });
    await validator().recordUsage({ clerkUserId: b.clerkUserId, metric: "searches", amount: 1 });
    expect([await counter(a.id), await counter(a.id, "exports"), await counter(b.id)]).toEqual([7, 2, 1]);
  });

  it("uses the plan's own limits", async () => {
    const { clerkUserId } = await user("pro");
    const outcome = await validator().recordUsage({ clerkUserId, metric: "searches", amount: STARTER_SEARCHES + 1 });
    expect(outcome).toMatchObject({ status: "granted", receipt: { plan: "pro", limit: PLANS.pro.monthlyLimits.searches } });
  });

  it.each([
    ["no plan (NULL current_plan = zero limits)", null, false, "no_plan"],
    ["a deleted user", "pro", true, "user_deleted"],
    ["a plan the catalog does not know", "legacy_gold", false, "unknown_plan"],
  ] as const)("denies %s and counts nothing", async (_label, plan, deleted, reason) => {
    const { clerkUserId, id } = await user(plan, deleted);
    expect(await validator().recordUsage({ clerkUserId, metric: "searches" })).toEqual({ status: "denied", reason });
    expect(await counter(id)).toBeNull();
  });

  it("denies an unknown user and an unknown metric", async () => {
    expect(await validator().recordUsage({ clerkUserId: uniqueId("user"), metric: "searches" })).toEqual({
      status: "denied",
      reason: "unknown_user",
    });
    const { clerkUserId } = await user("business");
    expect(await validator().recordUsage({ clerkUserId, metric: "lists" })).toEqual({ status: "denied", reason: "unknown_metric" });
  });

  it("refuses a malformed amount or idempotency key before touching the database", async () => {
    const { clerkUserId } = await user("starter");
    for (const amount of [0, -1, 1.5, MAX_USAGE_AMOUNT + 1, Number.NaN]) {
      await expect(validator().recordUsage({ clerkUserId, metric: "searches", amount })).rejects.toThrow(RangeError);
    }
    await expect(validator().recordUsage({ clerkUserId, metric: "searches", idempotencyKey: "" })).rejects.toThrow(RangeError);
    await expect(
      validator().recordUsage({ clerkUserId, metric: "searches", idempotencyKey: "has space" }),
    ).rejects.toThrow(RangeError);
  });
});

describe("PlanValidator idempotency keys", () => {
  it("answers a retry with the first outcome and counts once", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("idem");

    const first = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 2, idempotencyKey: key });
    await validator().recordUsage({ clerkUserId, metric: "searches", amount: 1 });
    const retry = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 2, idempotencyKey: key });

    expect(first).toMatchObject({ status: "granted", replayed: false, receipt: { used: 2 } });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await counter(id)).toBe(3);
  });

  it("counts once when 20 retries with one key arrive at the same time", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("idem");
    const meter = validator();

    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => meter.recordUsage({ clerkUserId, metric: "searches", amount: 5, idempotencyKey: key })),
    );

    expect(outcomes.filter((outcome) => outcome.status === "granted" && !outcome.replayed)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "granted" && outcome.replayed)).toHaveLength(19);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ receipt: { used: 5 } });
    expect(await counter(id)).toBe(5);
  });

  it("refuses the same key with a different request and counts nothing", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("idem");
    await validator().recordUsage({ clerkUserId, metric: "searches", amount: 2, idempotencyKey: key });

    expect(await validator().recordUsage({ clerkUserId, metric: "searches", amount: 3, idempotencyKey: key })).toEqual({
      status: "idempotency_key_reused",
    });
    expect(await validator().recordUsage({ clerkUserId, metric: "exports", amount: 2, idempotencyKey: key })).toEqual({
      status: "idempotency_key_reused",
    });
    expect(await counter(id)).toBe(2);
    expect(await counter(id, "exports")).toBeNull();
  });

  it("scopes keys to the user", async () => {
    const a = await user("starter");
    const b = await user("starter");
    const key = uniqueId("idem");
    await validator().recordUsage({ clerkUserId: a.clerkUserId, metric: "searches", idempotencyKey: key });
    const other = await validator().recordUsage({ clerkUserId: b.clerkUserId, metric: "searches", amount: 3, idempotencyKey: key });
    expect(other).toMatchObject({ status: "granted", replayed: false, receipt: { used: 3 } });
  });

  it("replays a limit_reached answer too, even after room was made", async () => {
    const { clerkUserId } = await user("starter");
    const key = uniqueId("idem");
    await validator().recordUsage({ clerkUserId, metric: "exports", amount: PLANS.starter.monthlyLimits.exports });
    const refused = await validator().recordUsage({ clerkUserId, metric: "exports", idempotencyKey: key });
    expect(refused).toMatchObject({ status: "limit_reached", replayed: false });
    expect(await validator().recordUsage({ clerkUserId, metric: "exports", idempotencyKey: key })).toEqual({
      ...refused,
      replayed: true,
    });
  });

  it("does not store denials that are about the user, so a retry after the plan arrives counts", async () => {
    const { clerkUserId, id } = await user(null);
    const key = uniqueId("idem");
    expect(await validator().recordUsage({ clerkUserId, metric: "searches", idempotencyKey: key })).toMatchObject({
      status: "denied",
      reason: "no_plan",
    });
    await prisma.user.update({ where: { id }, data: { currentPlan: "starter" } });
    expect(await validator().recordUsage({ clerkUserId, metric: "searches", idempotencyKey: key })).toMatchObject({
      status: "granted",
      replayed: false,
    });
  });

  it("answers a retry with the true outcome when the first request's commit landed after its 503", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("idem");
    const timeoutMs = 2_000;
    // The first request's client has one connection, busy elsewhere: its transaction starts late.
    const slow = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
    try {
      const busy = await holdTransaction(slow, async (tx) => {
        await tx.$queryRaw`SELECT 1`;
      });
      // Another connection holds the counter's row, so the increment waits there until released.
      const rowHolder = await holdTransaction(prisma, async (tx) => {
        await tx.$executeRaw`
          INSERT INTO usage_counters (user_id, metric, period_start, used, updated_at)
          VALUES (${id}::uuid, 'searches', ${MAY.start.toISOString()}::timestamptz, 0, now())`;
      });
      const first = validator({ client: slow, timeoutMs }).recordUsage({ clerkUserId, metric: "searches", amount: 3, idempotencyKey: key });
      // Half the budget in the pool (setup only: no assertion depends on it), then the transaction runs.
      await sleep(timeoutMs / 2);
      await busy.commit();

      expect(await first).toMatchObject({ status: "denied", reason: "unavailable" });
      // The caller got its 503; the increment still waits on the row, then commits.
      await rowHolder.commit();
      await waitFor("the late increment to commit", async () => (await counter(id)) === 3);

      const retry = await validator().recordUsage({ clerkUserId, metric: "searches", amount: 3, idempotencyKey: key });
      expect(retry).toMatchObject({ status: "granted", replayed: true, receipt: { used: 3 } });
      expect(await counter(id)).toBe(3);
    } finally {
      await slow.$disconnect();
    }
  });

  it("forgets a key once it has expired (24 h by default) and counts the request again", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("idem");
    let now = MID_MAY;
    const meter = validator({ clock: () => now });
    await meter.recordUsage({ clerkUserId, metric: "searches", idempotencyKey: key });

    now = new Date(MID_MAY.getTime() + 24 * 3600 * 1000 - 1);
    expect(await meter.recordUsage({ clerkUserId, metric: "searches", idempotencyKey: key })).toMatchObject({ replayed: true });
    now = new Date(MID_MAY.getTime() + 24 * 3600 * 1000);
    expect(await meter.recordUsage({ clerkUserId, metric: "searches", idempotencyKey: key })).toMatchObject({
      status: "granted",
      replayed: false,
      receipt: { used: 2 },
    });
    expect(await counter(id)).toBe(2);
  });
});

describe("PlanValidator.canUse / canCreate", () => {
  it("answers for a metered metric without counting", async () => {
    const { clerkUserId, id } = await user("starter");
    await validator().recordUsage({ clerkUserId, metric: "searches", amount: STARTER_SEARCHES - 1 });

    expect(await validator().canUse(clerkUserId, "searches")).toEqual({
      allowed: true,
      plan: "starter",
      limit: STARTER_SEARCHES,
      used: STARTER_SEARCHES - 1,
      remaining: 1,
    });
    expect(await validator().canUse(clerkUserId, "searches", 2)).toMatchObject({ allowed: false, reason: "limit_reached" });
    expect(await counter(id)).toBe(STARTER_SEARCHES - 1);
  });

  it("caps what a user holds", async () => {
    const { clerkUserId } = await user("starter");
    const cap = PLANS.starter.holdingCaps.lists;
    expect(await validator().canCreate(clerkUserId, "lists", cap - 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await validator().canCreate(clerkUserId, "lists", cap)).toMatchObject({ allowed: false, reason: "limit_reached" });
    expect(await validator().canCreate(clerkUserId, "folders", 0)).toEqual({ allowed: false, reason: "unknown_resource" });
  });

  it("denies without a plan, for a deleted or unknown user, and for an unknown plan", async () => {
    const none = await user(null);
    const deleted = await user("pro", true);
    const legacy = await user("legacy_gold");
    expect(await validator().canCreate(none.clerkUserId, "lists", 0)).toEqual({ allowed: false, reason: "no_plan" });
    expect(await validator().canUse(none.clerkUserId, "searches")).toEqual({ allowed: false, reason: "no_plan" });
    expect(await validator().canUse(deleted.clerkUserId, "searches")).toEqual({ allowed: false, reason: "user_deleted" });
    expect(await validator().canUse(legacy.clerkUserId, "exports")).toEqual({ allowed: false, reason: "unknown_plan" });
    expect(await validator().canCreate(uniqueId("user"), "lists", 0)).toEqual({ allowed: false, reason: "unknown_user" });
  });
});

describe("PlanValidator.entitlements", () => {
  it("reports plan, limits, usage this period and what remains", async () => {
    const { clerkUserId } = await user("pro");
    await validator().recordUsage({ clerkUserId, metric: "exports", amount: 12 });

    expect(await validator().entitlements(clerkUserId)).toEqual({
      status: "ok",
      entitlements: {
        clerkUserId,
        plan: "pro",
        planStatus: "active",
        period: { start: MAY.start.toISOString(), end: MAY.end.toISOString() },
        metrics: {
          searches: { limit: PLANS.pro.monthlyLimits.searches, used: 0, remaining: PLANS.pro.monthlyLimits.searches },
          exports: { limit: PLANS.pro.monthlyLimits.exports, used: 12, remaining: PLANS.pro.monthlyLimits.exports - 12 },
        },
        holdingCaps: { lists: PLANS.pro.holdingCaps.lists },
      },
    });
  });

  it("reports zero limits without a plan or with an unknown one, keeping the usage already counted", async () => {
    const { clerkUserId, id } = await user("starter");
    await validator().recordUsage({ clerkUserId, metric: "searches", amount: 3 });
    await prisma.user.update({ where: { id }, data: { currentPlan: null } });

    const result = await validator().entitlements(clerkUserId);
    expect(result).toMatchObject({
      status: "ok",
      entitlements: {
        plan: null,
        planStatus: "no_plan",
        metrics: { searches: { limit: 0, used: 3, remaining: 0 }, exports: { limit: 0, used: 0, remaining: 0 } },
        holdingCaps: { lists: 0 },
      },
    });
    const legacy = await user("legacy_gold");
    expect(await validator().entitlements(legacy.clerkUserId)).toMatchObject({
      status: "ok",
      entitlements: { plan: null, planStatus: "unknown_plan", holdingCaps: { lists: 0 } },
    });
  });

  it("denies a deleted or unknown user", async () => {
    const deleted = await user("pro", true);
    expect(await validator().entitlements(deleted.clerkUserId)).toEqual({ status: "denied", reason: "user_deleted" });
    expect(await validator().entitlements(uniqueId("user"))).toEqual({ status: "denied", reason: "unknown_user" });
  });
});

describe("PlanValidator fails closed", () => {
  it("denies every question as unavailable when Postgres cannot be reached", async () => {
    const unreachable = new URL(testServers().databaseUrl);
    unreachable.port = String(await freePort());
    const down = createPrismaClient({ databaseUrl: unreachable.toString(), poolMax: 2, connectionTimeoutMs: 1_000 });
    try {
      const meter = validator({ client: down, timeoutMs: 2_000 });
      const clerkUserId = uniqueId("user");
      expect(await meter.recordUsage({ clerkUserId, metric: "searches" })).toMatchObject({ status: "denied", reason: "unavailable" });
      expect(await meter.canUse(clerkUserId, "searches")).toMatchObject({ allowed: false, reason: "unavailable" });
      expect(await meter.canCreate(clerkUserId, "lists", 0)).toMatchObject({ allowed: false, reason: "unavailable" });
      expect(await meter.entitlements(clerkUserId)).toMatchObject({ status: "denied", reason: "unavailable" });
    } finally {
      await down.$disconnect();
    }
  });

  it("denies as unavailable when the database does not answer within the budget, and counts nothing", async () => {
    const { clerkUserId, id } = await user("starter");
    await validator().recordUsage({ clerkUserId, metric: "searches" });
    // The reset's exclusive lock on the period holds every increment of it back.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${periodLockKey(MAY)}::text, 0))`;
        locked();
        await released;
      },
      { timeout: 60_000 },
    );
    try {
      await isLocked;
      const outcome = await validator({ timeoutMs: 300 }).recordUsage({ clerkUserId, metric: "searches" });
      expect(outcome).toMatchObject({ status: "denied", reason: "unavailable" });
      expect((outcome as { detail?: string }).detail).toMatch(/time|cancel|deadline/i);
    } finally {
      release();
      await holder;
    }
    expect(await counter(id)).toBe(1);
    // Once the lock is gone the same request goes through.
    expect(await validator().recordUsage({ clerkUserId, metric: "searches" })).toMatchObject({ status: "granted", receipt: { used: 2 } });
  });
});
