import { positiveInt } from "@wh/core";
import { STRIPE_EVENT_RETENTION_DAYS } from "@wh/ops";
import { DEFAULT_DEFERRED_SWEEP_PATTERN, DEFAULT_LEDGER_CLEANUP_PATTERN, DEFAULT_STRIPE_RECONCILE_PATTERN, DEFAULT_USAGE_RESET_PATTERN } from "@wh/queue";
import { z } from "zod";
import { MIN_RETENTION_DAYS } from "./delete-settled-webhook-events";

/** What a deferred event waits for may itself be in Stripe's retries for 3 days. */
const MIN_DEFERRED_HORIZON_HOURS = 72;

const cronPattern = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\S+(\s+\S+){4,5}$/, "must be a cron pattern of 5 fields (or 6 with seconds), evaluated in UTC")
    .default(fallback);

/** The worker's variables for the job schedulers (spread into its env schema). */
export const scheduleEnvFields = {
  /** Cron (UTC) of the monthly usage reset; every worker upserts the scheduler at start. */
  USAGE_RESET_PATTERN: cronPattern(DEFAULT_USAGE_RESET_PATTERN),
  /** Budget of the transaction that closes one usage period. */
  USAGE_RESET_TIMEOUT_MS: positiveInt(60_000),
  /** Cron (UTC) of the daily ledger cleanup. */
  LEDGER_CLEANUP_PATTERN: cronPattern(DEFAULT_LEDGER_CLEANUP_PATTERN),
  /** Settled webhook_events rows older than this many days are deleted; dead and failed rows stay. */
  WEBHOOK_EVENT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(MIN_RETENTION_DAYS, `must be at least ${MIN_RETENTION_DAYS}: providers retry for up to 3 days`)
    .default(30),
  /** Rows per DELETE statement of the cleanup, so no statement holds many locks for long. */
  LEDGER_CLEANUP_BATCH_SIZE: positiveInt(1_000),
  /** Cron (UTC) of the sweep that releases deferred events whose key exists and expires the rest. */
  DEFERRED_EVENT_SWEEP_PATTERN: cronPattern(DEFAULT_DEFERRED_SWEEP_PATTERN),
  /** A deferred event still waiting this many hours after receipt becomes `dead` (with an alert). */
  DEFERRED_EVENT_HORIZON_HOURS: z.coerce
    .number()
    .int()
    .min(MIN_DEFERRED_HORIZON_HOURS, `must be at least ${MIN_DEFERRED_HORIZON_HOURS}: Stripe retries for up to 3 days`)
    .default(MIN_DEFERRED_HORIZON_HOURS),
  /**
   * Enables the daily Stripe reconciliation (unset: no scheduler). A restricted key with read
   * access to events suffices. A secret: never logged.
   */
  STRIPE_API_KEY: z.string().trim().min(1).optional(),
  /** Stripe's API; only tests point it elsewhere (a fake server). */
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.stripe.com"),
  /** Cron (UTC) of the Stripe reconciliation. */
  STRIPE_RECONCILE_PATTERN: cronPattern(DEFAULT_STRIPE_RECONCILE_PATTERN),
  /** Each run compares the Stripe events created in this many hours before its scheduled time. */
  STRIPE_RECONCILE_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(STRIPE_EVENT_RETENTION_DAYS * 24, `must be at most ${STRIPE_EVENT_RETENTION_DAYS * 24}: Stripe lists the events of the last ${STRIPE_EVENT_RETENTION_DAYS} days`)
    .default(48),
};
