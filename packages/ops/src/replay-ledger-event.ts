import { errorMessage } from "@wh/core";
import { jobFromLedgerRow, planWebhookReplay, replayWebhookJob, type ReplayWebhookJobOptions, type WebhookJob } from "@wh/queue";
import { isReplayable } from "./replayable-statuses";
import type { LedgerEvent } from "./select-ledger-events";

/**
 * What happened (or, in a dry run, would happen) to one selected delivery:
 * `retried`/`re-added`/`replaced`/`already-queued` as the queue package's replay answers, `already-settled`
 * when the ledger says its effect is done, `deferred` when it waits for what it refers to (the
 * worker runs it the moment that appears; a replay now would only defer it again), `error` when
 * it could not be replayed.
 */
export type EventResult =
  | { outcome: "retried" | "re-added" | "replaced" | "already-queued"; jobId: string }
  | { outcome: "already-settled" }
  | { outcome: "deferred" }
  | { outcome: "error"; reason: string };

/**
 * Replays one ledger row through the queue (`execute`), or only plans it (dry run: Redis is read,
 * nothing is written). Settled rows never reach Redis. Failures are thrown; the caller counts them.
 */
export async function replayLedgerEvent(
  queue: ReplayWebhookJobOptions,
  row: LedgerEvent,
  execute: boolean,
): Promise<EventResult> {
  if (row.status === "deferred") return { outcome: "deferred" };
  if (!isReplayable(row.status)) return { outcome: "already-settled" };
  return replayJob(queue, jobFromLedgerRow(row), execute);
}

/**
 * Replays one job of a delivery the ledger has not settled (`execute`), or only plans it: the
 * ledger rows' path above, and reconciliation's deliveries the ledger never saw.
 */
export async function replayJob(queue: ReplayWebhookJobOptions, job: WebhookJob, execute: boolean): Promise<EventResult> {
  if (execute) return replayWebhookJob(queue, job);
  const plan = await planWebhookReplay(queue.queues, job, queue.signingKeys);
  switch (plan.action) {
    case "retry":
      return { outcome: "retried", jobId: plan.jobId };
    case "add":
      return { outcome: "re-added", jobId: plan.jobId };
    case "replace":
      return { outcome: "replaced", jobId: plan.jobId };
    case "already-queued":
      return { outcome: "already-queued", jobId: plan.jobId };
  }
}

/** `replayLedgerEvent`, with a failure turned into the `error` result the callers count and list. */
export async function replayOrReport(queue: ReplayWebhookJobOptions, row: LedgerEvent, execute: boolean): Promise<EventResult> {
  try {
    return await replayLedgerEvent(queue, row, execute);
  } catch (error) {
    return { outcome: "error", reason: errorMessage(error) };
  }
}
