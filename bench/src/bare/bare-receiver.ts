import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookJobOptions, DEFAULT_RETRY_POLICY, type WebhookJob, type WebhookQueues } from "@wh/queue";
import Stripe from "stripe";
import { Webhook } from "svix";

const MAX_BODY_BYTES = 1024 * 1024;
const JOB_OPTIONS = webhookJobOptions(DEFAULT_RETRY_POLICY);

export interface BareReceiverOptions {
  queues: WebhookQueues;
  stripeSecret: string;
  clerkSecret: string;
}

type Verified = { ok: true; job: WebhookJob; jobId: string } | { ok: false };

/**
 * The bare receiver: node:http, the official library's verification on the raw body, one BullMQ
 * `add` with the job id and the production job options; 200 once the add resolved, 400 on a bad
 * signature, 503 when the add fails. What the real receiver costs beyond this is its own overhead.
 */
export function createBareReceiver(options: BareReceiverOptions): Server {
  const stripe = new Stripe("sk_bare_baseline_unused");
  const clerk = new Webhook(options.clerkSecret);

  const verify = (path: string, body: Buffer, req: IncomingMessage): Verified => {
    try {
      if (path === "/webhooks/stripe") {
        const event = stripe.webhooks.constructEvent(body, String(req.headers["stripe-signature"]), options.stripeSecret);
        const object = event.data.object as { id?: string };
        const job: WebhookJob = {
          provider: "stripe",
          eventId: event.id,
          type: event.type,
          objectId: object.id,
          eventCreatedAt: event.created * 1000,
          receivedAt: Date.now(),
          payload: event as unknown as Record<string, unknown>,
        };
        return { ok: true, job, jobId: `stripe_${event.id}` };
      }
      const event = clerk.verify(body.toString("utf8"), req.headers as Record<string, string>) as {
        type: string;
        timestamp: number;
        data: { id?: string };
      };
      const eventId = String(req.headers["svix-id"]);
      const job: WebhookJob = {
        provider: "clerk",
        eventId,
        type: event.type,
        objectId: event.data.id,
        eventCreatedAt: event.timestamp,
        receivedAt: Date.now(),
        payload: event as unknown as Record<string, unknown>,
      };
      return { ok: true, job, jobId: `clerk_${eventId}` };
    } catch {
      return { ok: false };
    }
  };

  const answer = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  return createServer((req, res) => {
    const path = req.url ?? "";
    if (req.method === "GET" && path === "/healthz") return answer(res, 200, '{"status":"ok"}');
    if (req.method !== "POST" || (path !== "/webhooks/stripe" && path !== "/webhooks/clerk")) {
      return answer(res, 404, '{"error":"not_found"}');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const verified = verify(path, Buffer.concat(chunks), req);
      if (!verified.ok) return answer(res, 400, '{"error":"invalid_signature"}');
      options.queues[verified.job.provider]
        .add(verified.job.type, verified.job, { ...JOB_OPTIONS, jobId: verified.jobId })
        .then(
          () => answer(res, 200, '{"received":true}'),
          () => answer(res, 503, '{"error":"queue_unavailable"}'),
        );
    });
  });
}
