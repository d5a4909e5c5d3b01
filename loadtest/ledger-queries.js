// The rows one load-test run leaves in Postgres, found by the run id that sign-webhooks.js puts
// into every id: Stripe events `evt_<run>_…`, Clerk deliveries `msg_<run>_…`, users `user_<run>_…`.
"use strict";

/** SQL condition on webhook_events for a run; parameters: $1 Stripe prefix, $2 Clerk prefix. */
const RUN_EVENTS_CONDITION =
  "((provider = 'stripe' AND starts_with(event_id, $1)) OR (provider = 'clerk' AND starts_with(event_id, $2)))";

function runEventPrefixes(runId) {
  return [`evt_${runId}_`, `msg_${runId}_`];
}

/** Ledger statuses after which a delivery needs no more work (`failed` still retries, `deferred` still waits). */
const SETTLED_STATUSES = ["completed", "skipped_stale", "skipped_duplicate", "ignored", "dead"];

module.exports = { RUN_EVENTS_CONDITION, runEventPrefixes, SETTLED_STATUSES };
