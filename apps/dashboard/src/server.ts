import type { Server } from "node:http";
import type { Express } from "express";

/**
 * Explicit server timeouts: a slow or stalled client cannot hold a socket, and keep-alive
 * outlives typical load-balancer idle timeouts (60 s) so they close first.
 */
export const SERVER_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 65_000,
};

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.headersTimeout = SERVER_TIMEOUTS.headersTimeoutMs;
    server.requestTimeout = SERVER_TIMEOUTS.requestTimeoutMs;
    server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs;
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}
