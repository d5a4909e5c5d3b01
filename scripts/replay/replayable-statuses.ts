import type { EventStatus } from "@wh/db";

/**
 * Ledger statuses of deliveries whose effect has not happened: `failed` (BullMQ still retries)
 * and `dead` (attempts exhausted, poison input, or waited past the deferral horizon). `deferred`
 * rows re-run by themselves when what they wait for appears. Every other status is settled, and
 * the worker turns a re-run of a settled delivery into a no-op, so replaying one is pointless.
 */
export const REPLAYABLE_STATUSES = ["dead", "failed"] as const satisfies readonly EventStatus[];
export type ReplayableStatus = (typeof REPLAYABLE_STATUSES)[number];

export function isReplayable(status: EventStatus): status is ReplayableStatus {
  return (REPLAYABLE_STATUSES as readonly EventStatus[]).includes(status);
}
