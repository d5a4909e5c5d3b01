export type { LedgerEventFilter } from "./ledger-event-filter";
export {
  countLedgerEvents,
  findLedgerEvents,
  findLedgerEventsByIds,
  ledgerEventWhere,
  pageLedgerEvents,
  searchLedgerEvents,
  type LedgerEvent,
  type LimitedFilter,
  type SearchCursor,
  type SearchPage,
} from "./select-ledger-events";
export { replayJob, replayLedgerEvent, replayOrReport, type EventResult } from "./replay-ledger-event";
export { isReplayable, REPLAYABLE_STATUSES, type ReplayableStatus } from "./replayable-statuses";
export { countResult, emptyTally, type ReplayTally } from "./replay-tally";
export { replayAction } from "./replay-action";
export { createStripeEventsClient, type StripeEventsApi, type StripeEventsClientOptions } from "./reconcile/stripe-events-client";
export { createClerkUsersClient, type ClerkUsersApi, type ClerkUsersClientOptions } from "./reconcile/clerk-users-client";
export { DEFAULT_RATE_LIMIT_BACKOFF, type RateLimitBackoff } from "./reconcile/rate-limit-backoff";
export { STRIPE_EVENT_RETENTION_DAYS, stripeReconcileWindow, type ReconcileWindow, type WindowCheck } from "./reconcile/reconcile-window";
export { emptyReconcileSummary, type ReconcileSummary } from "./reconcile/reconcile-summary";
export { reconcileStripe, type ReconciledStripeEvent, type StripeReconcileOptions } from "./reconcile/reconcile-stripe";
export { reconcileClerk, type ClerkReconcileOptions, type ReconciledClerkUser } from "./reconcile/reconcile-clerk";
