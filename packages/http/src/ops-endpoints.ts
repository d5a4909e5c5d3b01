import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

type OpsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const reply = (res: ServerResponse, status: number, body: string, type = "application/json") => {
  res.writeHead(status, { "Content-Type": type }).end(body);
};

const pathOf = (req: IncomingMessage): string | undefined =>
  req.method === "GET" || req.method === "HEAD" ? (req.url ?? "").split("?")[0] : undefined;

/**
 * `/healthz` alone (the process answers): what a public listener may serve. Returns false for
 * any other request, so an app can fall through to its own routes.
 */
export const healthEndpoint: OpsHandler = (req, res) => {
  if (pathOf(req) !== "/healthz") return false;
  reply(res, 200, JSON.stringify({ status: "ok" }));
  return true;
};

/**
 * `/healthz`, `/readyz` (it can reach what it needs to work) and `/metrics` (Prometheus), the
 * same in every app. Returns a handler that answers those paths and returns false for any other
 * request, so an app can fall through to its own routes.
 */
export function opsEndpoints(options: {
  isReady: () => Promise<boolean>;
  /** A prom-client registry, or anything that renders like one (the worker supervisor's aggregate). */
  registry: Pick<Registry, "metrics" | "contentType">;
}): OpsHandler {
  return (req, res) => {
    switch (pathOf(req)) {
      case "/readyz":
        void options.isReady().then(
          (ready) => reply(res, ready ? 200 : 503, JSON.stringify({ status: ready ? "ready" : "unavailable" })),
          () => reply(res, 503, JSON.stringify({ status: "unavailable" })),
        );
        return true;
      case "/metrics":
        void options.registry.metrics().then(
          (text) => reply(res, 200, text, options.registry.contentType),
          () => reply(res, 500, JSON.stringify({ error: "metrics unavailable" })),
        );
        return true;
      default:
        return healthEndpoint(req, res);
    }
  };
}

/** A listener serving only `ops` (an ops port of its own); every other request is a JSON 404. */
export function opsListener(ops: OpsHandler): RequestListener {
  return (req, res) => {
    if (!ops(req, res)) reply(res, 404, JSON.stringify({ error: "not found" }));
  };
}
