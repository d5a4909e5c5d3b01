import { errorMessage } from "@wh/core";
import { boundedTransaction, type PrismaClient, type Tx } from "@wh/db";
import { calendarMonthUtc, type BillingPeriod, type PeriodPolicy } from "./billing-period";
import { iso } from "./iso";
import {
  DEFAULT_IDEMPOTENCY_KEY_TTL_MS,
  findIdempotencyKey,
  IDEMPOTENCY_KEY_PATTERN,
  lockIdempotencyKey,
  requestFingerprint,
  storeIdempotencyKey,
} from "./idempotency-keys";
import {
  HELD_RESOURCES,
  isHeldResource,
  isMeteredMetric,
  METERED_METRICS,
  PLANS,
  type HeldResource,
  type MeteredMetric,
  type Plan,
  type PlanCatalog,
  type PlanId,
} from "./plan-catalog";
import type { Decision, UsageOutcome, UsageReceipt } from "./plan-decision";
import { incrementCounter, readCounter, readCounters } from "./usage-counters";
import { enterOpenPeriod, findOpenPeriod } from "./usage-periods";
import { findBillingUser, planOfUser } from "./user-plan";

/** An increment larger than this is refused as malformed; it also keeps counters far from int4's range. */
export const MAX_USAGE_AMOUNT = 1_000_000;

export interface PlanValidatorOptions {
  prisma: PrismaClient;
  /** Budget of one answer, database included. Past it the answer is `unavailable` (a deny). */
  timeoutMs: number;
  /** How long an Idempotency-Key protects its request; 24 h by default. */
  idempotencyKeyTtlMs?: number;
  /** The clock usage is counted by; injected by tests. */
  clock?: () => Date;
  periodPolicy?: PeriodPolicy;
  catalog?: PlanCatalog;
}

export interface RecordUsageRequest {
  clerkUserId: string;
  metric: string;
  /** Positive integer, 1 by default. All or nothing. */
  amount?: number;
  /** Scoped to the user. A retry with the same key and request gets the first answer again. */
  idempotencyKey?: string;
}

export interface MetricEntitlement {
  limit: number;
  used: number;
  remaining: number;
}

export interface Entitlements {
  clerkUserId: string;
  plan: PlanId | null;
  /** `no_plan` and `unknown_plan` have zero limits. */
  planStatus: "active" | "no_plan" | "unknown_plan";
  period: { start: string; end: string };
  metrics: Record<MeteredMetric, MetricEntitlement>;
  holdingCaps: Record<HeldResource, number>;
}

export type EntitlementsResult =
  | { status: "ok"; entitlements: Entitlements }
  | { status: "denied"; reason: "unknown_user" | "user_deleted" | "unavailable"; detail?: string };

/**
 * The one place that answers "may this user do X now?", and records metered usage with the same
 * answer inside the same statement. Every answer fails closed: no user, a deleted user, no plan,
 * an unknown plan or metric, a database error or a timeout are all a deny with a reason; nothing
 * here lets a request through because a check could not be made.
 */
export class PlanValidator {
  private readonly clock: () => Date;
  private readonly policy: PeriodPolicy;
  private readonly catalog: PlanCatalog;
  private readonly keyTtlMs: number;

  constructor(private readonly options: PlanValidatorOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.policy = options.periodPolicy ?? calendarMonthUtc;
    this.catalog = options.catalog ?? PLANS;
    this.keyTtlMs = options.idempotencyKeyTtlMs ?? DEFAULT_IDEMPOTENCY_KEY_TTL_MS;
  }

  /** Counts `amount` of `metric` for the user if the plan allows all of it in this period. */
  async recordUsage(request: RecordUsageRequest): Promise<UsageOutcome> {
    const amount = request.amount ?? 1;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_USAGE_AMOUNT) {
      throw new RangeError(`amount must be an integer from 1 to ${MAX_USAGE_AMOUNT}`);
    }
    if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(request.idempotencyKey)) {
      throw new RangeError("idempotency key must be 1-255 printable ASCII characters");
    }
    if (!isMeteredMetric(request.metric)) return { status: "denied", reason: "unknown_metric" };
    const metric = request.metric;
    try {
      return await boundedTransaction(this.options.prisma, this.options.timeoutMs, (tx) =>
        this.recordUsageIn(tx, { ...request, metric, amount }),
      );
    } catch (error) {
      return { status: "denied", reason: "unavailable", detail: errorMessage(error) };
    }
  }

  /** Would `amount` more of `metric` be allowed now? Read-only; `recordUsage` decides atomically. */
  async canUse(clerkUserId: string, metric: string, amount = 1): Promise<Decision> {
    if (!isMeteredMetric(metric)) return { allowed: false, reason: "unknown_metric" };
    return this.decide(clerkUserId, async (tx, userId, plan) => {
      const period = await findOpenPeriod(tx, this.policy, this.clock());
      const limit = plan.monthlyLimits[metric];
      const used = await readCounter(tx, userId, metric, period);
      return grantIf(plan.id, limit, used, amount);
    });
  }

  /** May the user create one more `resource` while holding `held` of them already? */
  async canCreate(clerkUserId: string, resource: string, held: number): Promise<Decision> {
    if (!isHeldResource(resource)) return { allowed: false, reason: "unknown_resource" };
    if (!Number.isSafeInteger(held) || held < 0) throw new RangeError("held must be a non-negative integer");
    return this.decide(clerkUserId, async (_tx, _userId, plan) => grantIf(plan.id, plan.holdingCaps[resource], held, 1));
  }

  /** Plan, limits, usage in the open period and what remains. */
  async entitlements(clerkUserId: string): Promise<EntitlementsResult> {
    try {
      return await boundedTransaction(this.options.prisma, this.options.timeoutMs, async (tx) => {
        const user = await findBillingUser(tx, clerkUserId);
        if (!user) return { status: "denied", reason: "unknown_user" } as const;
        const resolution = planOfUser(user, this.catalog);
        if (!resolution.ok && resolution.reason === "user_deleted") return { status: "denied", reason: "user_deleted" } as const;
        const plan = resolution.ok ? resolution.plan : null;
        const planStatus = resolution.ok ? "active" : resolution.reason === "unknown_plan" ? "unknown_plan" : "no_plan";
        const period = await findOpenPeriod(tx, this.policy, this.clock());
        const counters = await readCounters(tx, user.id, period);
        const metrics = Object.fromEntries(
          METERED_METRICS.map((metric) => {
            const limit = plan?.monthlyLimits[metric] ?? 0;
            const used = counters.get(metric) ?? 0;
            return [metric, { limit, used, remaining: Math.max(0, limit - used) }];
          }),
        ) as Record<MeteredMetric, MetricEntitlement>;
        const holdingCaps = Object.fromEntries(
          HELD_RESOURCES.map((resource) => [resource, plan?.holdingCaps[resource] ?? 0]),
        ) as Record<HeldResource, number>;
        const entitlements: Entitlements = {
          clerkUserId,
          plan: plan?.id ?? null,
          planStatus,
          period: { start: iso(period.start), end: iso(period.end) },
          metrics,
          holdingCaps,
        };
        return { status: "ok", entitlements } as const;
      });
    } catch (error) {
      return { status: "denied", reason: "unavailable", detail: errorMessage(error) };
    }
  }

  private async recordUsageIn(
    tx: Tx,
    request: { clerkUserId: string; metric: MeteredMetric; amount: number; idempotencyKey?: string },
  ): Promise<UsageOutcome> {
    const now = this.clock();
    const user = await findBillingUser(tx, request.clerkUserId);
    if (!user) return { status: "denied", reason: "unknown_user" };

    const key = request.idempotencyKey;
    // Fingerprinted only when a key asks for it: most increments carry none.
    const idempotency = key === undefined ? undefined : { key, requestHash: requestFingerprint(request) };
    if (idempotency) {
      // Before the plan checks: a retry gets the first answer even if the plan changed since.
      await lockIdempotencyKey(tx, user.id, idempotency.key);
      const stored = await findIdempotencyKey(tx, user.id, idempotency.key, now);
      if (stored.found) {
        if (stored.requestHash !== idempotency.requestHash) return { status: "idempotency_key_reused" };
        return { ...stored.outcome, replayed: true };
      }
    }

    const resolution = planOfUser(user, this.catalog);
    if (!resolution.ok) return { status: "denied", reason: resolution.reason };
    const plan = resolution.plan;
    const limit = plan.monthlyLimits[request.metric];
    const period = await enterOpenPeriod(tx, this.policy, now);
    const counted = await incrementCounter(tx, {
      userId: user.id,
      metric: request.metric,
      period,
      amount: request.amount,
      limit,
    });
    const outcome = {
      status: counted.granted ? ("granted" as const) : ("limit_reached" as const),
      receipt: receipt(plan, request.metric, request.amount, period, limit, counted.used),
    };
    if (idempotency) {
      await storeIdempotencyKey(tx, {
        userId: user.id,
        ...idempotency,
        outcome,
        expiresAt: new Date(now.getTime() + this.keyTtlMs),
      });
    }
    return { ...outcome, replayed: false };
  }

  /** Resolves the user and plan (each failure a deny), then lets `check` decide; errors deny. */
  private async decide(
    clerkUserId: string,
    check: (tx: Tx, userId: string, plan: Plan) => Promise<Decision>,
  ): Promise<Decision> {
    try {
      return await boundedTransaction(this.options.prisma, this.options.timeoutMs, async (tx) => {
        const user = await findBillingUser(tx, clerkUserId);
        if (!user) return { allowed: false, reason: "unknown_user" };
        const resolution = planOfUser(user, this.catalog);
        if (!resolution.ok) return { allowed: false, reason: resolution.reason };
        return check(tx, user.id, resolution.plan);
      });
    } catch (error) {
      return { allowed: false, reason: "unavailable", detail: errorMessage(error) };
    }
  }
}

function grantIf(plan: PlanId, limit: number, used: number, amount: number): Decision {
  const remaining = Math.max(0, limit - used);
  if (used + amount <= limit) return { allowed: true, plan, limit, used, remaining };
  return { allowed: false, reason: "limit_reached", plan, limit, used, remaining };
}

function receipt(plan: Plan, metric: MeteredMetric, amount: number, period: BillingPeriod, limit: number, used: number): UsageReceipt {
  return {
    metric,
    amount,
    plan: plan.id,
    periodStart: iso(period.start),
    periodEnd: iso(period.end),
    used,
    limit,
    remaining: Math.max(0, limit - used),
  };
}
