import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/**
 * `/healthz` (the process answers), `/readyz` (it can reach what it needs to work) and
 * `/metrics` (Prometheus), the same in every app. Returns a handler that answers those paths
 * and returns false for any other request, so an app can fall through to its own routes.
 */
export function opsEndpoints(options: { isReady: () => Promise<boolean>; registry: Registry }) {
  const reply = (res: ServerResponse, status: number, body: string, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type }).end(body);
  };
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    switch (path) {
      case "/healthz":
        reply(res, 200, JSON.stringify({ status: "ok" }));
        return true;
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
        return false;
    }
  };
}
