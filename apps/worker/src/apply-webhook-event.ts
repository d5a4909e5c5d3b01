import {
  databasePoolOf,
  lockKeysStatement,
  pipelinedTransaction,
  type EventStatus,
  type PrismaClient,
} from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import type { WaitKey } from "./deferred/wait-key";
import { pipelinedHandlerFor } from "./handlers/handler-registry";
import type { HandlerOutcome, PipelinedHandler } from "./handlers/handler-types";
import { deliveryLockKey, ledgerStatusStatement, settleStatement } from "./ledger/ledger-statements";
import { FINAL_STATUSES } from "./ledger/ledger-statuses";

export interface ApplyOptions {
  /** The attempt's budget; enforced by Postgres, since Prisma cannot cancel a running query. */
  timeoutMs: number;
  stripeLivemode: boolean;
  attempt: number;
  signal?: AbortSignal;
}

/** Why an event was recorded `ignored`: a fixed set, used as a metric label. */
export type IgnoredReason = "other_stripe_mode" | "unhandled_type" | "not_applicable";

export interface ApplyResult {
  status: EventStatus;
  /** The ledger already had this delivery settled: nothing was done. */
  alreadySettled: boolean;
  /** Set when this run recorded the event `ignored`. */
  ignoredReason?: IgnoredReason;
  /** `deferred`: what the event waits for. */
  waitKey?: WaitKey;
  /** What this event made exist: the deferred events waiting for it can run now. */
  provides?: WaitKey;
  /** The ledger row's status before this run settled it, when it had a row (a retry, a replay, a deferred event). */
  previousStatus?: EventStatus;
}

type Decision = HandlerOutcome & { ignoredReason?: IgnoredReason };

/**
 * Applies one delivery exactly once in effect: in one transaction, under a lock on the delivery,
 * the ledger is checked, the handler's writes are made and the ledger row is settled. A crash
 * before commit leaves nothing; a crash after it makes the re-run a no-op.
 *
 * Every event runs on plain `pg` on the Prisma client's own pool, in pipelined exchanges: BEGIN,
 * the locks, the ledger read and the handler's reads in the first; the handler's writes, the
 * settle and COMMIT in the last (handler-types.ts). An event that is only recorded (`ignored`)
 * takes the same path with no locks or reads of its own.
 */
export async function applyWebhookEvent(prisma: PrismaClient, job: WebhookJob, options: ApplyOptions): Promise<ApplyResult> {
  const throwIfAborted = abortCheck(options.signal, options.timeoutMs);
  const plan = handlerOf(job, options)(job, new Date(job.eventCreatedAt));
  return pipelinedTransaction(databasePoolOf(prisma), options.timeoutMs, async (tx) => {
    throwIfAborted();
    const [, ledger, ...reads] = await tx.exchange([
      lockKeysStatement([deliveryLockKey(job), ...plan.locks]),
      ledgerStatusStatement(job),
      ...plan.reads,
    ]);
    const settled = (ledger as { status: EventStatus }[])[0];
    if (settled && FINAL_STATUSES.has(settled.status)) {
      await tx.commit([]);
      return { status: settled.status, alreadySettled: true };
    }
    throwIfAborted();
    const { outcome, writes } = await plan.decide(tx, reads);
    throwIfAborted();
    await tx.commit([...writes, settleStatement(job, outcome, options.attempt)]);
    return resultOf(outcome, settled?.status);
  });
}

/**
 * Throws once the job's own signal aborted (BullMQ cancels) or the attempt's budget is spent,
 * checked between exchanges (Postgres bounds each statement, pipelinedTransaction the whole).
 * A clock check, not a timer signal: `AbortSignal.timeout` lives for the whole budget after the
 * job is done, and at a few hundred jobs a second those signals filled the old generation: the
 * worker's RSS swung by ~100 MB in the memory soak.
 */
function abortCheck(signal: AbortSignal | undefined, timeoutMs: number): () => void {
  const deadline = performance.now() + timeoutMs;
  return () => {
    signal?.throwIfAborted();
    if (performance.now() > deadline) throw new DOMException("the attempt's time budget is spent", "TimeoutError");
  };
}

function handlerOf(job: WebhookJob, options: ApplyOptions): PipelinedHandler {
  if (otherStripeMode(job, options)) {
    return ignoring({
      status: "ignored",
      reason: `livemode=${String(job.payload.livemode)} does not match this deployment`,
      ignoredReason: "other_stripe_mode",
    });
  }
  return pipelinedHandlerFor(job.provider, job.type) ?? ignoring({ status: "ignored", reason: "event type not handled", ignoredReason: "unhandled_type" });
}

/** A plan that only records the event with `outcome`: no locks, reads or writes of its own. */
function ignoring(outcome: Decision): PipelinedHandler {
  return () => ({ locks: [], reads: [], decide: () => Promise.resolve({ outcome, writes: [] }) });
}

function otherStripeMode(job: WebhookJob, options: ApplyOptions): boolean {
  return job.provider === "stripe" && job.payload.livemode !== options.stripeLivemode;
}

function resultOf(outcome: Decision, previousStatus: EventStatus | undefined): ApplyResult {
  const run = { alreadySettled: false, previousStatus };
  if (outcome.status === "ignored") {
    return { ...run, status: outcome.status, ignoredReason: outcome.ignoredReason ?? "not_applicable" };
  }
  return outcome.status === "deferred"
    ? { ...run, status: outcome.status, waitKey: outcome.waitKey }
    : { ...run, status: outcome.status, provides: outcome.provides };
}
