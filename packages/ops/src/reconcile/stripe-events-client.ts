import Stripe from "stripe";

/** The part of the Stripe API reconciliation reads: the events of the last 30 days. */
export type StripeEventsApi = Pick<Stripe, "events">;

export interface StripeEventsClientOptions {
  /** A secret key, or a restricted key with read access to events. */
  apiKey: string;
  /** `https://api.stripe.com` in production; a fake server's `http://127.0.0.1:<port>` in tests. */
  apiUrl: string;
  /** Retries of connection errors and 5xx by stripe-node itself (429s are ours: rate-limit-backoff.ts). */
  maxNetworkRetries?: number;
}

/** A Stripe client for reconciliation, aimed at the configured API host. */
export function createStripeEventsClient(options: StripeEventsClientOptions): StripeEventsApi {
  const url = new URL(options.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(options.apiKey, {
    host: url.hostname,
    port: url.port === "" ? (protocol === "http" ? 80 : 443) : Number(url.port),
    protocol,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
  });
}
