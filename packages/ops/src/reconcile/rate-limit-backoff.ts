/**
 * How a provider call is retried when the provider answers 429 (stripe-node does not retry 429s
 * by itself, @clerk/backend does not retry at all): the provider's `Retry-After` when it sends
 * one, exponential backoff otherwise, each wait capped, and a bounded number of tries.
 */
export interface RateLimitBackoff {
  /** Retries after the first try; then the 429 is thrown to the caller. */
  maxRetries: number;
  /** The first wait without a Retry-After; doubled for each further retry. */
  baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After asks. */
  maxDelayMs: number;
  /** Injected by tests; a timer otherwise. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait (progress output). */
  onWait?: (wait: { attempt: number; delayMs: number }) => void;
}

export const DEFAULT_RATE_LIMIT_BACKOFF: RateLimitBackoff = { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** A 429 seen in an error, with the wait the provider asked for (ms) when it said. */
export type RateLimitSignal = { retryAfterMs: number | undefined } | undefined;

/** `Retry-After` as seconds (the form Stripe and Clerk send) or an HTTP date, in ms from `now`. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs `call`, waiting and trying again while `rateLimited` recognises its error as a 429. */
export async function retryRateLimited<T>(
  call: () => Promise<T>,
  rateLimited: (error: unknown) => RateLimitSignal,
  backoff: RateLimitBackoff,
): Promise<T> {
  const sleep = backoff.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const signal = rateLimited(error);
      if (signal === undefined || attempt > backoff.maxRetries) throw error;
      const exponential = backoff.baseDelayMs * 2 ** (attempt - 1);
      const delayMs = Math.min(signal.retryAfterMs ?? exponential, backoff.maxDelayMs);
      backoff.onWait?.({ attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
