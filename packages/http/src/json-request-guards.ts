import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@wh/core";

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

/** Middleware (Express-compatible): refuses any body that is not declared `application/json` with 415. */
export function requireJsonContentType(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    sendJson(res, 415, { error: "content type must be application/json" });
    return;
  }
  next();
}

/**
 * Error middleware (Express-compatible, four arguments): body-parser's errors become short JSON
 * answers that leak nothing (413 too large, 400 malformed JSON, other 4xx "bad request"); anything
 * else is logged and answered 500.
 */
export function jsonErrorHandler(log: Logger) {
  return (error: { type?: string; status?: number }, _req: IncomingMessage, res: ServerResponse, _next: (error?: unknown) => void): void => {
    if (error.type === "entity.too.large") return sendJson(res, 413, { error: "payload too large" });
    if (error.type === "entity.parse.failed") return sendJson(res, 400, { error: "malformed JSON" });
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      return sendJson(res, error.status, { error: "bad request" });
    }
    log.error({ err: error }, "unhandled request error");
    sendJson(res, 500, { error: "internal error" });
  };
}
