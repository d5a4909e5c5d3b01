import type { EventStatus } from "@wh/db";
import { isReplayJobId } from "@wh/queue";

/**
 * How an event reached the run that applied it: the `path` label of
 * `webhook_event_end_to_end_seconds`. Only `live` feeds the apply SLO; the others measure a wait
 * that was meant to be long (a backoff, an operator's replay, a customer that did not exist yet).
 */
export type EventPath = "live" | "retry" | "replay" | "deferred";

export interface AppliedRun {
  /** The BullMQ job id: a replay job's ends in `_replay_<n>`. */
  jobId: string | undefined;
  /** BullMQ's failed attempts of this job so far (a replay's retry of a failed job resets them). */
  attemptsMade: number;
  /** The ledger row's status before this run (ApplyResult.previousStatus). */
  previousStatus: EventStatus | undefined;
}

/**
 * The ledger says more than the job: a deferred event re-runs through a replay job, and a replay
 * may retry the receiver's own failed job with its attempts reset. So, in order: a row that was
 * `deferred` is a deferred event; a row that was `dead` or `ignored` (settled without effect), or a
 * replay job (a replay or reconciliation of an event without a row), is a replay; a failed attempt
 * before is a retry; anything else is the receiver's job on its first attempt.
 */
export function eventPath(run: AppliedRun): EventPath {
  if (run.previousStatus === "deferred") return "deferred";
  if (run.previousStatus === "dead" || run.previousStatus === "ignored") return "replay";
  if (run.jobId !== undefined && isReplayJobId(run.jobId)) return "replay";
  if (run.attemptsMade > 0 || run.previousStatus === "failed") return "retry";
  return "live";
}
