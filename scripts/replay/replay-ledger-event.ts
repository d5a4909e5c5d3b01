import {
  planWebhookReplay,
  replayWebhookJob,
  webhookJobSchema,
  type ReplayWebhookJobOptions,
  type WebhookJob,
} from "@wh/queue";
import { isReplayable } from "./replayable-statuses";
import type { LedgerEvent } from "./select-ledger-events";

/**
 * What happened (or, in a dry run, would happen) to one selected delivery:
 * `retried`/`re-added`/`replaced`/`already-queued` as the queue package's replay answers, `already-settled`
 * when the ledger says its effect is done, `error` when it could not be replayed.
 */
export type EventResult =
  | { outcome: "retried" | "re-added" | "replaced" | "already-queued"; jobId: string }
  | { outcome: "already-settled" }
  | { outcome: "error"; reason: string };

export class StoredPayloadError extends Error {
  override readonly name = "StoredPayloadError";
}

/** The job the receiver enqueued for this delivery, rebuilt from its ledger row. */
export function jobFromLedgerEvent(row: LedgerEvent): WebhookJob {
  const parsed = webhookJobSchema.safeParse({
    provider: row.provider,
    eventId: row.eventId,
    type: row.type,
    objectId: row.objectId ?? undefined,
    eventCreatedAt: row.eventCreatedAt.getTime(),
    receivedAt: row.receivedAt.getTime(),
    payload: row.payload,
  });
  if (!parsed.success) {
    // Paths and messages only: a payload value may hold personal data.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(row)"}: ${issue.message}`);
    throw new StoredPayloadError(`ledger row cannot be turned into a job: ${issues.join("; ")}`);
  }
  return parsed.data;
}

/**
 * Replays one ledger row through the queue (`execute`), or only plans it (dry run: Redis is read,
 * nothing is written). Settled rows never reach Redis. Failures are thrown; the caller counts them.
 */
export async function replayLedgerEvent(
  queue: ReplayWebhookJobOptions,
  row: LedgerEvent,
  execute: boolean,
): Promise<EventResult> {
  if (!isReplayable(row.status)) return { outcome: "already-settled" };
  const job = jobFromLedgerEvent(row);
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
