import type { IncomingHttpHeaders } from "node:http";

/**
 * One request header as a string. Node joins a repeated custom header with ", " (so two
 * Stripe-Signature lines arrive as one value); the type also allows arrays, joined the same way.
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
