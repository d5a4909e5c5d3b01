import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A provider API stand-in on 127.0.0.1 (a free port), for tests. */
export interface FakeApiServer {
  /** `http://127.0.0.1:<port>`: what the client's API URL is set to. */
  url: string;
  /** Every request's path and query, in order. */
  requests: URL[];
  close(): Promise<void>;
}

export type FakeApiHandler = (url: URL, request: IncomingMessage) => { status: number; body: unknown; headers?: Record<string, string> };

/** Starts an HTTP server answering JSON from `handle`; it records each request. */
export async function startFakeApiServer(handle: FakeApiHandler): Promise<FakeApiServer> {
  const requests: URL[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    request.resume();
    request.on("end", () => {
      const answer = handle(url, request);
      response.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
