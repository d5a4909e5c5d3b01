/** Stripe lists the events of the last 30 days only. */
export const STRIPE_EVENT_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `created` range of the Stripe events a run compares with the ledger, both ends inclusive. */
export interface ReconcileWindow {
  since: Date;
  until: Date;
}

export type WindowCheck = { ok: true; window: ReconcileWindow } | { ok: false; message: string };

/**
 * The window of a run: `until` defaults to `now`; `since` must be before it and no older than
 * the 30 days Stripe keeps (an older start would look complete while missing events).
 */
export function stripeReconcileWindow(since: Date, until: Date | undefined, now: Date): WindowCheck {
  const end = until ?? now;
  if (since.getTime() >= end.getTime()) return { ok: false, message: "--since must be earlier than --until (or now)" };
  if (since.getTime() < now.getTime() - STRIPE_EVENT_RETENTION_DAYS * DAY_MS) {
    return { ok: false, message: `--since must be within the last ${STRIPE_EVENT_RETENTION_DAYS} days: Stripe lists no older events` };
  }
  return { ok: true, window: { since, until: end } };
}
