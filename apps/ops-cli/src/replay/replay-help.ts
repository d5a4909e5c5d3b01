import { retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";
import { REPLAYABLE_STATUSES } from "@wh/ops";

const RETRY_POLICY_HELP: Record<keyof typeof retryPolicyEnvFields, string> = {
  JOB_ATTEMPTS: "attempts of a re-added job, including the first",
  JOB_BACKOFF_MS: "first retry delay of a re-added job, then doubling",
  JOB_KEEP_COMPLETED_SECONDS: "how long a re-added job stays in Redis once completed",
  JOB_KEEP_FAILED_SECONDS: "how long a re-added job stays in Redis once failed",
  JOB_KEEP_COMPLETED_COUNT: "completed jobs kept per queue, at most",
  JOB_KEEP_FAILED_COUNT: "failed jobs kept per queue, at most",
};

function retryPolicyLines(): string {
  const defaults = z.object(retryPolicyEnvFields).parse({});
  return (Object.keys(RETRY_POLICY_HELP) as (keyof typeof retryPolicyEnvFields)[])
    .map((name) => `  ${name.padEnd(27)}${RETRY_POLICY_HELP[name]} (default ${defaults[name]})`)
    .join("\n");
}

export const REPLAY_HELP = `Usage: ops-cli replay --event <id> [--provider stripe|clerk] [--execute]
       ops-cli replay --status ${REPLAYABLE_STATUSES.join(",")} [--provider stripe|clerk] [--type <type>]
                      [--since <time>] [--until <time>] [--limit <n>] [--execute]

Replays webhook deliveries that never took effect, from the payload stored in the ledger
(webhook_events), through the same BullMQ queues the receiver uses, so the workers' own
handlers run them again. A failed job is retried with its attempts reset; when the job is
completed or gone from Redis, a new job <job id>_replay_<n> is added with the same event id.
Every job is signed with JOB_SIGNING_KEY; a job under the delivery's ids that fails
verification (forged, or signed with a retired key) is replaced by the signed job.
Idempotent: a delivery whose job is still queued is left alone, and the worker's ledger
turns a delivery it already settled into a no-op.

Dry run by default: without --execute nothing is changed, each selected delivery is listed
with what would happen to it.

Selection:
  --event <id>         one delivery by its provider id (Stripe evt_…, Clerk svix msg_…), any
                       status; a final one (completed, skipped_*) is reported as "already
                       settled" and not replayed; an ignored one is run again (the worker
                       evaluates it afresh, e.g. after STRIPE_LIVEMODE was fixed); a deferred
                       one (waiting for its customer or subscription, run by the worker when
                       that appears) is reported as "deferred" and not replayed
  --provider <name>    stripe or clerk (with --event: needed only if both have the id)
  --status <list>      comma-separated ledger statuses to replay: ${REPLAYABLE_STATUSES.join(", ")}
  --type <type>        only this event type, e.g. customer.subscription.updated
  --since <time>       received_at at or after <time> (inclusive)
  --until <time>       received_at before <time> (exclusive)
  --limit <n>          at most n deliveries, oldest received_at first
                       <time> is a date (2026-11-01, midnight UTC) or a date-time with a zone
                       (2026-11-01T12:00:00Z, 2026-11-01T13:00:00+01:00)
Action:
  --execute            replay; without it, a dry run
  -h, --help           this text

Output: one line per delivery on stdout (what was, or would be, done and the job id);
progress (a bar when stderr is a terminal, else a line every 200 deliveries) and a summary
(selected, retried, re-added, replaced, already queued, already settled, deferred, errors) on
stderr. Deliveries are read from Postgres in pages, oldest first.

Exit codes: 0 done, 1 some replays failed (or interrupted with Ctrl-C), 2 usage or
configuration error.

Environment:
  DATABASE_URL               postgresql://… of the ledger (required)
  REDIS_URL                  redis://… of the queues (required)
  QUEUE_PREFIX               BullMQ key prefix of the queues (default {wh})
  JOB_SIGNING_KEY            the workers' job signing keys, comma-separated: the first signs
                             (required; the same value as the receiver's)
${retryPolicyLines()}
  A retried job keeps the options it was first added with; the JOB_* values apply to
  re-added jobs and should match the receiver's.

Examples:
  pnpm ops replay --event evt_1QxYz --provider stripe
  pnpm ops replay --status dead --provider stripe --type customer.subscription.updated \\
                  --since 2026-11-01 --until 2026-11-27 --execute
`;
