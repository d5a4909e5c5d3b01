import type { Tx } from "@wh/db";
import type { WebhookJob } from "@wh/queue";

export type { Tx };

/** What applying an event amounted to; becomes the ledger row's status. */
export interface HandlerOutcome {
  status: "completed" | "skipped_stale" | "skipped_duplicate" | "ignored";
  /** Why it was skipped or ignored; stored as the ledger's note. */
  reason?: string;
  /** The event is about a deleted user: store its payload without personal data. */
  redactPayload?: boolean;
}

export interface HandlerContext {
  tx: Tx;
  job: WebhookJob;
  /** The provider's event time: the ordering watermark. */
  eventAt: Date;
}

export type EventHandler = (context: HandlerContext) => Promise<HandlerOutcome>;

export const COMPLETED: HandlerOutcome = { status: "completed" };
