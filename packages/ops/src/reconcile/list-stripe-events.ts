import Stripe from "stripe";
import { retryAfterMs, retryRateLimited, type RateLimitBackoff, type RateLimitSignal } from "./rate-limit-backoff";
import type { ReconcileWindow } from "./reconcile-window";
import type { StripeEventsApi } from "./stripe-events-client";

/** The most Stripe returns per page. */
export const STRIPE_PAGE_SIZE = 100;

export interface StripeEventListing {
  window: ReconcileWindow;
  /** Only these event types (Stripe accepts up to 20); every type when absent. */
  types?: readonly string[];
  backoff: RateLimitBackoff;
  pageSize?: number;
}

/**
 * Every Stripe event created in the window, a page at a time (newest first, as Stripe lists
 * them), following `has_more` / `starting_after`. No `delivery_success` filter: the events
 * lost after our 200 were delivered successfully as far as Stripe knows.
 */
export async function* listStripeEvents(stripe: StripeEventsApi, listing: StripeEventListing): AsyncGenerator<Stripe.Event[]> {
  const created = { gte: Math.floor(listing.window.since.getTime() / 1000), lte: Math.floor(listing.window.until.getTime() / 1000) };
  const types = listing.types && listing.types.length > 0 ? [...listing.types] : undefined;
  let startingAfter: string | undefined;
  for (;;) {
    const page = await retryRateLimited(
      () => stripe.events.list({ created, types, limit: listing.pageSize ?? STRIPE_PAGE_SIZE, starting_after: startingAfter }),
      stripeRateLimit,
      listing.backoff,
    );
    yield page.data;
    const last = page.data.at(-1);
    if (!page.has_more || !last) return;
    startingAfter = last.id;
  }
}

function stripeRateLimit(error: unknown): RateLimitSignal {
  if (!(error instanceof Stripe.errors.StripeRateLimitError)) return undefined;
  return { retryAfterMs: retryAfterMs(error.headers?.["retry-after"]) };
}
