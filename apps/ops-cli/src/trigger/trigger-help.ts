import { PLANS } from "@wh/billing";
import { DEFAULT_RECEIVER_URL, DEFAULT_TIMEOUT_SECONDS } from "./trigger-args";
import { TRIGGER_EVENT_NAMES } from "./trigger-events";

export const TRIGGER_HELP = `Usage: ops-cli trigger <event> --user <user_…|email> [--plan ${Object.keys(PLANS).join("|")}]
                       [--customer cus_…] [--subscription sub_…] [--email <email>]
                       [--receiver-url ${DEFAULT_RECEIVER_URL}] [--timeout <seconds>]

The local twin of \`stripe trigger\`: sends one realistic event, signed with the official
libraries (stripe's generateTestHeaderString, svix) and the receiver's own secrets, to a running
receiver, waits for the worker to settle it, and prints what the ledger recorded and the user's
plan. For development and staging: the user and its Stripe objects need not exist at Stripe.

Events:
  ${TRIGGER_EVENT_NAMES.join("\n  ")}

Options:
  --user <id|email>      the Clerk user id (user_…), or the email of a user in the users table
                         (user.created with an unknown email makes up a new user id)
  --plan <plan>          the price's lookup_key on the subscription; required for
                         customer.subscription.created|updated|deleted
  --customer <cus_…>     the Stripe customer; default: the user's, or a new one
  --subscription <sub_…> default: a new one for customer.subscription.created, else the user's
                         latest subscription
  --email <email>        the primary email of user.created|updated; default: the stored one,
                         or <user id>@example.com
  --receiver-url <url>   where the receiver listens (default ${DEFAULT_RECEIVER_URL})
  --timeout <seconds>    how long to wait for the ledger (default ${DEFAULT_TIMEOUT_SECONDS}); 0 sends without waiting
  -h, --help             this text

A typical sequence: user.created, then checkout.session.completed (links a customer to the
user), then customer.subscription.created --plan pro; later invoice.payment_failed,
invoice.paid, customer.subscription.updated --plan business, customer.subscription.deleted.

Output: on stdout one line each for what was sent, the ledger row (status, attempts, error)
and the user (plan, customer) and, for Stripe subscription and invoice events, the
subscription; a summary on stderr.

Exit codes: 0 the ledger settled the event (completed, skipped_*, ignored or deferred), 1 the
receiver was unreachable or refused it, or the event is dead or still unsettled at the timeout,
2 usage or configuration error.

Environment:
  DATABASE_URL           postgresql://… of the ledger (required)
  STRIPE_WEBHOOK_SECRET  the receiver's Stripe endpoint secrets (required for Stripe events;
                         the first signs)
  CLERK_WEBHOOK_SECRET   the receiver's Svix secrets (required for Clerk events; the first signs)

Examples:
  pnpm ops trigger user.created --user user_2abc --email ada@example.com
  pnpm ops trigger checkout.session.completed --user user_2abc
  pnpm ops trigger customer.subscription.created --user user_2abc --plan pro
`;
