import type { PipelinedTransaction, Statement } from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import type { WaitKey } from "../deferred/wait-key";

/** What applying an event amounted to; becomes the ledger row's status. */
export type HandlerOutcome = SettledOutcome | DeferredOutcome;

export interface SettledOutcome {
  status: "completed" | "skipped_stale" | "skipped_duplicate" | "ignored";
  /** Why it was skipped or ignored; stored as the ledger's note. */
  reason?: string;
  /** The event is about a deleted user: store its payload without personal data. */
  redactPayload?: boolean;
  /** This event made the key exist (linked the customer, stored the subscription): events waiting on it run now. */
  provides?: WaitKey;
  /** Our user (users.id) the event was about, when the handler knows it: stored in the ledger for operators' search. */
  userId?: string;
}

/** The event refers to something not stored yet: it waits for it (see deferred/release-deferred-events.ts). */
export interface DeferredOutcome {
  status: "deferred";
  reason: string;
  waitKey: WaitKey;
}

/**
 * A handler on plain `pg`, for the hot path: its locks and reads ride in the first exchange with
 * the delivery's lock and ledger read, `decide` chooses in TypeScript (taking more exchanges only
 * when it must), and its writes ride in the last exchange with the ledger's settle and COMMIT.
 */
export type PipelinedHandler = (job: WebhookJob, eventAt: Date) => PipelinedPlan;

export interface PipelinedPlan {
  /** Advisory lock keys taken after the delivery's, in this order. */
  locks: string[];
  /** Statements run after the locks; their rows are passed to `decide` in the same order. */
  reads: Statement[];
  decide(tx: PipelinedTransaction, rows: unknown[][]): Promise<PipelinedDecision>;
}

export interface PipelinedDecision {
  outcome: HandlerOutcome;
  writes: Statement[];
}
