import type { EventResult } from "./replay-ledger-event";

const ACTION: Record<EventResult["outcome"], { done: string; planned: string }> = {
  retried: { done: "retried", planned: "would retry" },
  "re-added": { done: "re-added", planned: "would re-add" },
  replaced: { done: "replaced", planned: "would replace" },
  "already-queued": { done: "already queued", planned: "already queued" },
  "already-settled": { done: "already settled", planned: "already settled" },
  deferred: { done: "deferred", planned: "deferred" },
  error: { done: "error", planned: "error" },
};

/** What a replay did with one delivery (`done`), or would do in a dry run: the CLI's and the admin page's words. */
export function replayAction(outcome: EventResult["outcome"], done: boolean): string {
  return ACTION[outcome][done ? "done" : "planned"];
}
