import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "@wh/core";
import { jsonErrorHandler, requireJsonContentType } from "@wh/http";
import { readRawBody } from "./read-raw-body";
import type { WebhookAnswer, WebhookRoute } from "./routes/webhook-answer";

/** Providers send at most a few hundred KB; anything above 1 MB is refused before verification. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The only headers a JSON answer to a machine needs: no content sniffing, no caching. (helmet's
 * browser headers, CSP, frame and referrer policies, mean nothing to Stripe or Svix; see
 * docs/decisions/receiver-hot-path.md.)
 */
const SECURITY_HEADERS: Record<string, string> = { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" };

/**
 * The webhook routes on plain node:http, in front of `fallback` (the Express app: /healthz, the
 * JSON 404). Per webhook request: path, method (405 otherwise), content type (415), raw body up
 * to 1 MB (413), then the route. Express's router, body-parser and helmet cost about a quarter
 * of the receiver's CPU per webhook; the decision and its numbers are in
 * docs/decisions/receiver-hot-path.md.
 */
export function webhookListener(routes: Record<string, WebhookRoute>, fallback: RequestListener, log: Logger): RequestListener {
  const onError = jsonErrorHandler(log);
  return (req, res) => {
    const route = routes[normalisedPath(req.url)];
    if (!route) {
      fallback(req, res);
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== "POST") {
      send(res, { status: 405, body: { error: "method not allowed" }, headers: { Allow: "POST" } });
      return;
    }
    requireJsonContentType(req, res, () => {
      receive(req, res, route).catch((error: unknown) => onError(error as { type?: string; status?: number }, req, res, () => undefined));
    });
  };
}

async function receive(req: IncomingMessage, res: ServerResponse, route: WebhookRoute): Promise<void> {
  const body = await readRawBody(req, MAX_BODY_BYTES);
  if (body === "too_large") {
    send(res, { status: 413, body: { error: "payload too large" } });
    return;
  }
  send(res, await route(body, req.headers));
}

function send(res: ServerResponse, answer: WebhookAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(answer.body));
}

/** As Express matches a route: without the query string, case-insensitive, one trailing slash allowed. */
function normalisedPath(url: string | undefined): string {
  const path = (url ?? "/").split("?", 1)[0]!.toLowerCase();
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
