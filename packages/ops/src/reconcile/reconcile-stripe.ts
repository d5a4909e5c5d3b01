import { errorMessage } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import type { ReplayWebhookJobOptions } from "@wh/queue";
import { stripeEventEnvelope, stripeWebhookJob } from "@wh/webhooks";
import type Stripe from "stripe";
import { replayJob, replayOrReport, type EventResult } from "../replay-ledger-event";
import { isReplayable } from "../replayable-statuses";
import { findLedgerEventsByIds, type LedgerEvent } from "../select-ledger-events";
import { listStripeEvents } from "./list-stripe-events";
import { DEFAULT_RATE_LIMIT_BACKOFF, type RateLimitBackoff } from "./rate-limit-backoff";
import { countReconciled, emptyReconcileSummary, type ReconcileSummary } from "./reconcile-summary";
import type { ReconcileWindow } from "./reconcile-window";
import type { StripeEventsApi } from "./stripe-events-client";

/** One Stripe event the ledger lacks or has not settled, and what was (or would be) done with it. */
export interface ReconciledStripeEvent {
  eventId: string;
  type: string;
  /** Its API version: the payload is in that version's shape. */
  apiVersion: string | null;
  found: "missing" | "unsettled" | "deferred";
  result: EventResult;
}

export interface StripeReconcileOptions {
  stripe: StripeEventsApi;
  prisma: PrismaClient;
  queue: ReplayWebhookJobOptions;
  window: ReconcileWindow;
  /** Only these event types (up to 20); every type when absent. */
  types?: readonly string[];
  /** False: a dry run that reads Stripe, the ledger and Redis, and writes nothing. */
  execute: boolean;
  backoff?: RateLimitBackoff;
  /** Events per page asked of Stripe (at most 100, the default). */
  pageSize?: number;
  /** The `received_at` of the jobs it adds; the system clock otherwise. */
  clock?: () => Date;
  onEvent?: (event: ReconciledStripeEvent) => void;
  /** The running counts after each page of events. */
  onProgress?: (summary: ReconcileSummary) => void;
  /** Aborted (Ctrl-C): the run stops after the current item and returns what it counted. */
  signal?: AbortSignal;
}

/**
 * Compares the Stripe events of a window with the ledger and queues, through the replay planner,
 * each event the ledger never saw (acknowledged, then lost with Redis; or never delivered) and
 * each unsettled one: jobs are signed, a forged job on the id is replaced, a failed job retried
 * (a plain add of an existing id would be a silent no-op). Deferred rows are left to run by
 * themselves. A missing event is queued from Stripe's copy, in its own API version.
 */
export async function reconcileStripe(options: StripeReconcileOptions): Promise<ReconcileSummary> {
  const summary = emptyReconcileSummary();
  const clock = options.clock ?? (() => new Date());
  const pages = listStripeEvents(options.stripe, {
    window: options.window,
    types: options.types,
    backoff: options.backoff ?? DEFAULT_RATE_LIMIT_BACKOFF,
    pageSize: options.pageSize,
  });
  for await (const page of pages) {
    const rows = await findLedgerEventsByIds(options.prisma, "stripe", page.map((event) => event.id));
    const byEventId = new Map(rows.map((row) => [row.eventId, row]));
    for (const event of page) {
      if (options.signal?.aborted) return summary;
      summary.checked += 1;
      const reconciled = await reconcileOne(options, event, byEventId.get(event.id), clock);
      if (!reconciled) continue;
      if (reconciled.found === "missing") summary.missing += 1;
      if (reconciled.found === "unsettled") summary.unsettled += 1;
      countReconciled(summary, reconciled.result);
      options.onEvent?.(reconciled);
    }
    options.onProgress?.({ ...summary });
  }
  return summary;
}

async function reconcileOne(
  options: StripeReconcileOptions,
  event: Stripe.Event,
  row: LedgerEvent | undefined,
  clock: () => Date,
): Promise<ReconciledStripeEvent | undefined> {
  const seen = { eventId: event.id, type: event.type, apiVersion: event.api_version ?? null };
  if (row?.status === "deferred") return { ...seen, found: "deferred", result: { outcome: "deferred" } };
  if (row && !isReplayable(row.status)) return undefined;
  if (row) return { ...seen, found: "unsettled", result: await replayOrReport(options.queue, row, options.execute) };
  const envelope = stripeEventEnvelope(event);
  if (!envelope) return { ...seen, found: "missing", result: { outcome: "error", reason: "not an event the receiver would accept" } };
  try {
    return { ...seen, found: "missing", result: await replayJob(options.queue, stripeWebhookJob(envelope, clock().getTime()), options.execute) };
  } catch (error) {
    return { ...seen, found: "missing", result: { outcome: "error", reason: errorMessage(error) } };
  }
}
