import type { PlanId } from "./plan-catalog";

/**
 * Why the validator said no. Every one of them is a deny: the validator fails closed.
 *
 * - `unknown_user`: no user row for the Clerk id.
 * - `user_deleted`: the user is a tombstone.
 * - `no_plan`: `current_plan` is NULL, which means zero limits.
 * - `unknown_plan`: `current_plan` names no plan of the catalog (a price without a known lookup_key).
 * - `unknown_metric` / `unknown_resource`: the catalog has no such feature.
 * - `limit_reached`: the period's usage (or the holding) would exceed the plan's limit.
 * - `unavailable`: the database failed or did not answer in time; nobody can tell, so no. When the
 *   deadline passed, an increment may still commit afterwards (its transaction ends on Postgres's
 *   clock, not the caller's): a retry with the same Idempotency-Key answers what really happened.
 */
export type DenyReason =
  | "unknown_user"
  | "user_deleted"
  | "no_plan"
  | "unknown_plan"
  | "unknown_metric"
  | "unknown_resource"
  | "limit_reached"
  | "unavailable";

/** The answer to "may this user do X now?". */
export type Decision =
  | { allowed: true; plan: PlanId; limit: number; used: number; remaining: number }
  | { allowed: false; reason: DenyReason; plan?: PlanId; limit?: number; used?: number; remaining?: number; detail?: string };

/** Usage of one metric in one period after (or instead of) an increment; stored for idempotent replays. */
export interface UsageReceipt {
  metric: string;
  amount: number;
  plan: PlanId;
  periodStart: string;
  periodEnd: string;
  used: number;
  limit: number;
  remaining: number;
}

/**
 * The outcome of recording usage.
 * - `granted`: counted; `receipt.used` includes the amount.
 * - `limit_reached`: nothing counted (all or nothing).
 * - `denied`: nothing counted, for any other reason (including `unavailable`).
 * - `idempotency_key_reused`: the key was used for a different request; nothing counted.
 * `replayed` is true when the outcome is the stored answer to an earlier request with the same key.
 */
export type UsageOutcome =
  | { status: "granted"; receipt: UsageReceipt; replayed: boolean }
  | { status: "limit_reached"; receipt: UsageReceipt; replayed: boolean }
  | { status: "denied"; reason: Exclude<DenyReason, "limit_reached">; detail?: string }
  | { status: "idempotency_key_reused" };
