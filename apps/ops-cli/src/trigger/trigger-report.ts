import type { TriggerDelivery } from "./build-trigger-delivery";
import type { TriggerSubject } from "./resolve-trigger-subject";
import type { LedgerOutcome } from "./wait-for-ledger";

/** The user and subscription rows after the event, as far as the ledger's effects show. */
export interface TriggerState {
  user: { clerkUserId: string; currentPlan: string | null; stripeCustomerId: string | null; deletedAt: Date | null } | null;
  subscription: { stripeSubscriptionId: string; status: string; plan: string | null } | null;
}

const field = (name: string, value: string | number | null | undefined): string => `${name}=${value ?? "none"}`;

/** stdout lines, `kind key=value …`, easy to grep; never the payload or the email. */
export function formatTriggerReport(
  delivery: TriggerDelivery,
  subject: TriggerSubject,
  httpStatus: number,
  outcome: LedgerOutcome | undefined,
  state: TriggerState,
): string[] {
  const sent = [field("provider", delivery.provider), field("event", delivery.eventId), field("user", subject.clerkUserId)];
  if (delivery.provider === "stripe") sent.push(field("customer", subject.customerId));
  if (subject.subscriptionId) sent.push(field("subscription", subject.subscriptionId));
  sent.push(field("http", httpStatus));
  const lines = [`sent         ${sent.join(" ")}`];
  lines.push(
    outcome
      ? `ledger       ${[field("status", outcome.status), field("attempts", outcome.attempts), ...(outcome.lastError ? [`error=${JSON.stringify(outcome.lastError)}`] : [])].join(" ")}`
      : `ledger       status=none`,
  );
  lines.push(
    state.user
      ? `user         ${[field("clerk", state.user.clerkUserId), field("plan", state.user.currentPlan), field("customer", state.user.stripeCustomerId), field("deleted", state.user.deletedAt ? "yes" : "no")].join(" ")}`
      : `user         ${field("clerk", subject.clerkUserId)} row=none`,
  );
  if (state.subscription) {
    lines.push(
      `subscription ${[field("id", state.subscription.stripeSubscriptionId), field("status", state.subscription.status), field("plan", state.subscription.plan)].join(" ")}`,
    );
  }
  return lines;
}

/** The stderr summary: what happened, or why it did not settle. */
export function formatTriggerSummary(event: string, outcome: LedgerOutcome | undefined, state: TriggerState, timeoutMs: number): string {
  const plan = `plan ${state.user?.currentPlan ?? "none"}`;
  if (!outcome) return `[trigger] ${event}: no ledger row after ${timeoutMs / 1_000} s: is a worker running on the receiver's queues?`;
  if (outcome.status === "failed") return `[trigger] ${event}: still failing after ${timeoutMs / 1_000} s (the worker retries it); ${plan}`;
  return `[trigger] ${event}: ${outcome.status}; ${plan}`;
}
