import { replayAction, type ReconciledClerkUser, type ReconciledStripeEvent, type ReconcileSummary } from "@wh/ops";

/** One stdout line per Stripe event found: id, type, API version, what the ledger had, the action. */
export function stripeEventLine(event: ReconciledStripeEvent, execute: boolean): string {
  const action = replayAction(event.result.outcome, execute);
  const detail = event.result.outcome === "error" ? `: ${event.result.reason}` : "jobId" in event.result ? ` ${event.result.jobId}` : "";
  return [event.eventId, event.type, event.apiVersion ?? "-", event.found, `${action}${detail}`].join("\t");
}

const CLERK_ACTION: Record<ReconciledClerkUser["outcome"], string> = {
  planned: "would enqueue",
  enqueued: "enqueued",
  retried: "retried",
  replaced: "replaced",
  duplicate: "already queued",
  deleted: "skipped (deleted here)",
  error: "error",
};

/** One stdout line per Clerk user newer than ours: user id, delivery id, the action. */
export function clerkUserLine(user: ReconciledClerkUser): string {
  const action = `${CLERK_ACTION[user.outcome]}${user.reason ? `: ${user.reason}` : ""}`;
  return [user.clerkUserId, user.eventId || "-", action].join("\t");
}

/** The progress line after each page, and the summary line at the end (stderr). */
export function summaryLine(what: string, summary: ReconcileSummary, execute: boolean): string {
  const enqueued = execute ? `enqueued ${summary.enqueued}` : `would enqueue ${summary.enqueued}`;
  return (
    `[reconcile] ${what}: checked ${summary.checked}, missing ${summary.missing}, unsettled ${summary.unsettled}, ` +
    `${enqueued}, already queued ${summary.alreadyQueued}, skipped ${summary.skipped}, errors ${summary.errors}`
  );
}
