import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** `/healthz` (process up), `/readyz` (Redis and Postgres answer) and `/metrics` for the worker. */
export function startHealthServer(options: {
  port: number;
  host: string;
  registry: Registry;
  isReady: () => Promise<boolean>;
}): Promise<Server> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "Content-Type": type }).end(body);
    };
    if (req.method !== "GET") return reply(405, JSON.stringify({ error: "method not allowed" }));
    switch (req.url) {
      case "/healthz":
        return reply(200, JSON.stringify({ status: "ok" }));
      case "/readyz":
        return void options.isReady().then(
          (ready) => reply(ready ? 200 : 503, JSON.stringify({ status: ready ? "ready" : "unavailable" })),
          () => reply(503, JSON.stringify({ status: "unavailable" })),
        );
      case "/metrics":
        return void options.registry.metrics().then((text) => reply(200, text, options.registry.contentType));
      default:
        return reply(404, JSON.stringify({ error: "not found" }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
