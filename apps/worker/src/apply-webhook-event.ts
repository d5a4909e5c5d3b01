import { boundedTransaction, lockKey, type EventStatus, type Prisma, type PrismaClient } from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import type { WaitKey } from "./deferred/wait-key";
import { handlerFor } from "./handlers/handler-registry";
import type { HandlerOutcome, Tx } from "./handlers/handler-types";
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
 */
export async function applyWebhookEvent(prisma: PrismaClient, job: WebhookJob, options: ApplyOptions): Promise<ApplyResult> {
  // The job's own signal (BullMQ cancels) or the attempt's budget, whichever comes first.
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    : AbortSignal.timeout(options.timeoutMs);
  return boundedTransaction(prisma, options.timeoutMs, async (tx) => {
    await lockKey(tx, `webhook_event:${job.provider}:${job.eventId}`);
    const settled = await tx.webhookEvent.findUnique({
      where: { provider_eventId: { provider: job.provider, eventId: job.eventId } },
      select: { status: true },
    });
    if (settled && FINAL_STATUSES.has(settled.status)) return { status: settled.status, alreadySettled: true };

    signal.throwIfAborted();
    const outcome = await decide(tx, job, options);
    signal.throwIfAborted();
    await settle(tx, job, outcome, options.attempt);
    const run = { alreadySettled: false, previousStatus: settled?.status };
    if (outcome.status === "ignored") {
      return { ...run, status: outcome.status, ignoredReason: outcome.ignoredReason ?? "not_applicable" };
    }
    return outcome.status === "deferred"
      ? { ...run, status: outcome.status, waitKey: outcome.waitKey }
      : { ...run, status: outcome.status, provides: outcome.provides };
  });
}

async function decide(tx: Tx, job: WebhookJob, options: ApplyOptions): Promise<Decision> {
  if (job.provider === "stripe" && job.payload.livemode !== options.stripeLivemode) {
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

async function settle(tx: Tx, job: WebhookJob, outcome: HandlerOutcome, attempt: number): Promise<void> {
  const redact = outcome.status !== "deferred" && outcome.redactPayload === true;
  const row = {
    type: job.type,
    status: outcome.status,
    attempts: attempt,
    lastError: outcome.reason ?? null,
    objectId: job.objectId ?? null,
    processedAt: new Date(),
    waitKey: outcome.status === "deferred" ? outcome.waitKey : null,
  };
  await tx.webhookEvent.upsert({
    where: { provider_eventId: { provider: job.provider, eventId: job.eventId } },
    create: {
      ...row,
      provider: job.provider,
      eventId: job.eventId,
      eventCreatedAt: new Date(job.eventCreatedAt),
      receivedAt: new Date(job.receivedAt),
      payload: storedPayload(job, redact),
    },
    // A failed attempt may have stored the full payload; a redacting outcome replaces it.
    update: redact ? { ...row, payload: storedPayload(job, redact) } : row,
  });
}

/** A late event about a deleted user must not bring its personal data back through the ledger. */
function storedPayload(job: WebhookJob, redact: boolean): Prisma.InputJsonObject {
  const payload = job.payload as Prisma.InputJsonObject;
  return redact ? { ...payload, data: { id: job.objectId ?? null } } : payload;
}
