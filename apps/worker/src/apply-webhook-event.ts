import {
  boundedTransaction,
  databasePoolOf,
  lockKey,
  lockKeysStatement,
  pipelinedTransaction,
  type DatabasePool,
  type EventStatus,
  type PrismaClient,
} from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import type { WaitKey } from "./deferred/wait-key";
import { handlerFor, pipelinedHandlerFor } from "./handlers/handler-registry";
import type { HandlerOutcome, PipelinedHandler, Tx } from "./handlers/handler-types";
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
 * The hot path's event types (pipelinedHandlerFor) run on plain `pg` on the Prisma client's own
 * pool, in pipelined exchanges: BEGIN, the locks, the ledger read and the handler's reads in the
 * first; the handler's writes, the settle and COMMIT in the last. The others run through Prisma.
 */
export async function applyWebhookEvent(prisma: PrismaClient, job: WebhookJob, options: ApplyOptions): Promise<ApplyResult> {
  // The job's own signal (BullMQ cancels) or the attempt's budget, whichever comes first.
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    : AbortSignal.timeout(options.timeoutMs);
  const pipelined = otherStripeMode(job, options) ? undefined : pipelinedHandlerFor(job.provider, job.type);
  if (pipelined) return applyPipelined(databasePoolOf(prisma), job, options, signal, pipelined);
  return boundedTransaction(prisma, options.timeoutMs, async (tx) => {
    await lockKey(tx, deliveryLockKey(job));
    const settled = await tx.webhookEvent.findUnique({
      where: { provider_eventId: { provider: job.provider, eventId: job.eventId } },
      select: { status: true },
    });
    if (settled && FINAL_STATUSES.has(settled.status)) return { status: settled.status, alreadySettled: true };
    signal.throwIfAborted();
    const outcome = await decide(tx, job, options);
    signal.throwIfAborted();
    const settle = settleStatement(job, outcome, options.attempt);
    await tx.$executeRawUnsafe(settle.text, ...settle.values);
    return resultOf(outcome, settled?.status);
  });
}

async function applyPipelined(
  pool: DatabasePool,
  job: WebhookJob,
  options: ApplyOptions,
  signal: AbortSignal,
  handler: PipelinedHandler,
): Promise<ApplyResult> {
  const plan = handler(job, new Date(job.eventCreatedAt));
  return pipelinedTransaction(pool, options.timeoutMs, async (tx) => {
    signal.throwIfAborted();
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
    signal.throwIfAborted();
    const { outcome, writes } = await plan.decide(tx, reads);
    signal.throwIfAborted();
    await tx.commit([...writes, settleStatement(job, outcome, options.attempt)]);
    return resultOf(outcome, settled?.status);
  });
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

async function decide(tx: Tx, job: WebhookJob, options: ApplyOptions): Promise<Decision> {
  if (otherStripeMode(job, options)) {
    return {
      status: "ignored",
      reason: `livemode=${String(job.payload.livemode)} does not match this deployment`,
      ignoredReason: "other_stripe_mode",
    };
  }
  const handler = handlerFor(job.provider, job.type);
  if (!handler) return { status: "ignored", reason: "event type not handled", ignoredReason: "unhandled_type" };
  return handler({ tx, job, eventAt: new Date(job.eventCreatedAt) });
}
