import type { IncomingHttpHeaders } from "node:http";

/** What a webhook route answers: a status and a short JSON body (never the request's content). */
export interface WebhookAnswer {
  status: number;
  body: { received: true } | { error: string };
  headers?: Record<string, string>;
}

/** A webhook route: the raw bytes and the headers of a POST in, the answer out. */
export type WebhookRoute = (rawBody: Buffer, headers: IncomingHttpHeaders) => Promise<WebhookAnswer>;
