import type { EventStatus } from "@wh/db";

/**
 * Ledger statuses of deliveries whose effect has not happened: `failed` (BullMQ still retries),
 * `dead` (attempts exhausted, poison input, or waited past the deferral horizon) and `ignored`
 * (another Stripe mode, or nothing to do): the worker evaluates an ignored delivery again, so
 * replaying it after fixing `STRIPE_LIVEMODE` applies it. `deferred` rows re-run by themselves
 * when what they wait for appears. Every other status is final, and the worker turns a re-run of
 * a final delivery into a no-op, so replaying one is pointless.
 */
export const REPLAYABLE_STATUSES = ["dead", "failed", "ignored"] as const satisfies readonly EventStatus[];
export type ReplayableStatus = (typeof REPLAYABLE_STATUSES)[number];

export function isReplayable(status: EventStatus): status is ReplayableStatus {
  return (REPLAYABLE_STATUSES as readonly EventStatus[]).includes(status);
}
