import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { reconcileStripe, stripeReconcileWindow, type ReconcileSummary, type StripeEventsApi } from "@wh/ops";
import { scheduledTimeOf, type ReplayWebhookJobOptions } from "@wh/queue";
import { UnrecoverableError } from "bullmq";

const HOUR_MS = 60 * 60 * 1000;

export interface StripeReconcileSettings {
  stripe: StripeEventsApi;
  windowHours: number;
  /** The types the workers apply: other events would only be recorded `ignored`. */
  types: readonly string[];
}

export interface StripeReconcileRunSummary extends ReconcileSummary {
  since: string;
  until: string;
}

/**
 * The daily safety net for acknowledged Stripe events that never reached the ledger (lost in a
 * Redis failover) or were never delivered: the events created in the `windowHours` before the
 * run's scheduled time are compared with the ledger, and each missing or unsettled one is queued
 * through the replay planner (packages/ops, the code of `ops-cli reconcile stripe --execute`).
 * Safe on several workers at once: the planner adds deterministic job ids, which BullMQ keeps once.
 */
export async function runStripeReconcile(
  job: { id?: string; timestamp: number },
  deps: { prisma: PrismaClient; log: Logger; replay: ReplayWebhookJobOptions; clock: () => Date; stripeReconcile?: StripeReconcileSettings },
): Promise<StripeReconcileRunSummary> {
  const settings = deps.stripeReconcile;
  if (!settings) throw new UnrecoverableError("Stripe reconciliation is not configured on this worker (STRIPE_API_KEY is unset)");
  const until = scheduledTimeOf(job);
  const checked = stripeReconcileWindow(new Date(until.getTime() - settings.windowHours * HOUR_MS), until, deps.clock());
  if (!checked.ok) throw new UnrecoverableError(checked.message);
  const summary = await reconcileStripe({
    stripe: settings.stripe,
    prisma: deps.prisma,
    queue: deps.replay,
    window: checked.window,
    types: settings.types,
    execute: true,
    clock: deps.clock,
    onEvent: (event) => {
      const context = { provider: "stripe", eventId: event.eventId, type: event.type, found: event.found, outcome: event.result.outcome };
      if (event.result.outcome === "error") deps.log.warn({ ...context, err: event.result.reason }, "reconcile could not queue a stripe event");
      else deps.log.info(context, "reconcile found a stripe event");
    },
  });
  const result = { ...summary, since: checked.window.since.toISOString(), until: checked.window.until.toISOString() };
  if (summary.missing > 0) deps.log.warn({ ...result, alert: "reconcile_found_missing" }, "stripe reconciliation found events the ledger never saw");
  else deps.log.info(result, "stripe reconciliation done");
  if (summary.errors > 0) throw new Error(`${summary.errors} Stripe events could not be queued; the run is retried`);
  return result;
}
