import { errorMessage } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import type { EnqueueOutcome, WebhookProducer } from "@wh/queue";
import { clerkUserJob } from "./clerk-user-job";
import type { ClerkUsersApi } from "./clerk-users-client";
import { listClerkUsers, type ClerkUserJson } from "./list-clerk-users";
import { DEFAULT_RATE_LIMIT_BACKOFF, type RateLimitBackoff } from "./rate-limit-backoff";
import { emptyReconcileSummary, type ReconcileSummary } from "./reconcile-summary";

/** One Clerk user newer than ours, and what was (or would be) done. */
export interface ReconciledClerkUser {
  clerkUserId: string;
  eventId: string;
  /** `planned` in a dry run; `deleted` when we hold the user as deleted (never resurrected). */
  outcome: EnqueueOutcome | "planned" | "deleted" | "error";
  reason?: string;
}

export interface ClerkReconcileOptions {
  clerk: ClerkUsersApi;
  prisma: PrismaClient;
  /** The receiver's producer: jobs are signed, a failed job retried, a forged one replaced. */
  producer: WebhookProducer;
  /** False: a dry run that reads Clerk and the users table, and enqueues nothing. */
  execute: boolean;
  backoff?: RateLimitBackoff;
  /** Users per page asked of Clerk. */
  pageSize?: number;
  clock?: () => Date;
  onUser?: (user: ReconciledClerkUser) => void;
  onProgress?: (summary: ReconcileSummary) => void;
  /** Aborted (Ctrl-C): the run stops after the current item and returns what it counted. */
  signal?: AbortSignal;
}

/**
 * Enqueues a synthetic `user.updated` for every Clerk user whose `updated_at` is newer than the
 * last Clerk event we applied to them (or whom we do not have), so the worker's handler brings
 * our row up to date. A user deleted in Clerk is not listed: a missed `user.deleted` cannot be
 * reconciled this way.
 */
export async function reconcileClerk(options: ClerkReconcileOptions): Promise<ReconcileSummary> {
  const summary = emptyReconcileSummary();
  const clock = options.clock ?? (() => new Date());
  for await (const page of listClerkUsers(options.clerk, { backoff: options.backoff ?? DEFAULT_RATE_LIMIT_BACKOFF, pageSize: options.pageSize })) {
    const stored = await options.prisma.user.findMany({
      where: { clerkUserId: { in: page.map((user) => user.id) } },
      select: { clerkUserId: true, clerkEventAt: true, deletedAt: true },
    });
    const byClerkId = new Map(stored.map((row) => [row.clerkUserId, row]));
    for (const user of page) {
      if (options.signal?.aborted) return summary;
      summary.checked += 1;
      const ours = byClerkId.get(user.id);
      if (ours?.clerkEventAt && ours.clerkEventAt.getTime() >= user.updated_at) continue;
      summary.missing += 1;
      const reconciled = ours?.deletedAt
        ? { clerkUserId: user.id, eventId: "", outcome: "deleted" as const }
        : await enqueueUser(options, user, clock());
      countUser(summary, reconciled.outcome);
      options.onUser?.(reconciled);
    }
    options.onProgress?.({ ...summary });
  }
  return summary;
}

async function enqueueUser(options: ClerkReconcileOptions, user: ClerkUserJson, now: Date): Promise<ReconciledClerkUser> {
  const job = clerkUserJob(user, now);
  const seen = { clerkUserId: user.id, eventId: job.eventId };
  if (!options.execute) return { ...seen, outcome: "planned" };
  try {
    return { ...seen, outcome: await options.producer.enqueue(job) };
  } catch (error) {
    return { ...seen, outcome: "error", reason: errorMessage(error) };
  }
}

function countUser(summary: ReconcileSummary, outcome: ReconciledClerkUser["outcome"]): void {
  switch (outcome) {
    case "enqueued":
    case "retried":
    case "replaced":
    case "planned":
      summary.enqueued += 1;
      break;
    case "duplicate":
      summary.alreadyQueued += 1;
      break;
    case "deleted":
      summary.skipped += 1;
      break;
    case "error":
      summary.errors += 1;
      break;
  }
}
