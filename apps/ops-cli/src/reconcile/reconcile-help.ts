import { STRIPE_EVENT_RETENTION_DAYS } from "@wh/ops";
import { retryPolicyEnvFields } from "@wh/queue";

export const RECONCILE_HELP = `Usage: ops-cli reconcile stripe --since <time> [--until <time>] [--execute]
       ops-cli reconcile clerk [--execute]

Finds what the providers know and the ledger does not (acknowledged deliveries lost in a Redis
failover, or never delivered) and queues it for the workers. A dry run unless --execute: it prints
the plan and writes nothing.

stripe   Pages through Stripe's events created in the window (all types, delivered or not) and
         compares each with the ledger. An event the ledger never saw, or whose row is dead, failed
         or ignored, goes through the replay planner: signed jobs, a failed job retried, a forged
         job on its id replaced. Deferred rows are skipped (they run when what they wait for
         appears). Each event is queued in its own API version.
clerk    Pages through every Clerk user and queues a synthetic user.updated (delivery id
         reconcile_<user>_<updated_at>) for each user whose updated_at is newer than the last
         Clerk event we applied, or whom we do not have. Clerk does not list deleted users: a
         missed user.deleted cannot be reconciled this way.

Options:
  --since <time>   start of the window, inclusive; within the last ${STRIPE_EVENT_RETENTION_DAYS} days (Stripe keeps no older events)
  --until <time>   end of the window, inclusive (default: now)
  --execute        queue the jobs (default: dry run)
  --help, -h       this text
  A time is a date (2026-11-01, midnight UTC) or a date-time with a zone (2026-11-01T12:00:00Z).

Output: one line per event (stripe: event id, type, API version, what the ledger had, action;
clerk: user id, delivery id, action) on stdout; progress and the summary (checked, missing,
unsettled, enqueued, already queued, skipped, errors) on stderr. A 429 from the provider is
waited out (Retry-After, else exponential backoff, bounded).

Environment:
  DATABASE_URL, REDIS_URL, QUEUE_PREFIX (default {wh})   the ledger and the queues
  JOB_SIGNING_KEY                                        signs the jobs, as the receiver does
  ${Object.keys(retryPolicyEnvFields).join(", ")}
                                                         options of the jobs, as the receiver's
  STRIPE_API_KEY                                         stripe: a key that can read events
  STRIPE_API_URL (default https://api.stripe.com)
  CLERK_SECRET_KEY                                       clerk: the instance's secret key
  CLERK_API_URL (default https://api.clerk.com)

Exit codes: 0 done, 1 some events could not be queued (or interrupted), 2 usage or configuration error.
`;
