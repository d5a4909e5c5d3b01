import type { Logger } from "@wh/core";
import { healthEndpoint, jsonErrorHandler, requireJsonContentType } from "@wh/http";
import type { WebhookProducer } from "@wh/queue";
import express, { type Express, type RequestHandler } from "express";
import helmet from "helmet";
import type { ReceiverMetrics } from "./receiver-metrics";
import { clerkWebhookRoute } from "./routes/clerk-webhook-route";
import { stripeWebhookRoute } from "./routes/stripe-webhook-route";

export interface ReceiverDependencies {
  producer: WebhookProducer;
  metrics: ReceiverMetrics;
  log: Logger;
  stripeSecrets: readonly string[];
  clerkSecrets: readonly string[];
  trustProxy: boolean | number | string;
}

/** Providers send at most a few hundred KB; anything above 1 MB is refused before verification. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The raw bytes are what the signature covers: never parse JSON before verifying. */
const rawJsonBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

const methodNotAllowed: RequestHandler = (_req, res) => {
  res.status(405).set("Allow", "POST").json({ error: "method not allowed" });
};

export function createReceiverApp(deps: ReceiverDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.use(helmet());

  const context = { producer: deps.producer, metrics: deps.metrics, log: deps.log };
  app.post("/webhooks/stripe", requireJsonContentType, rawJsonBody, stripeWebhookRoute(context, deps.stripeSecrets));
  app.post("/webhooks/clerk", requireJsonContentType, rawJsonBody, clerkWebhookRoute(context, deps.clerkSecrets));
  app.all("/webhooks/stripe", methodNotAllowed);
  app.all("/webhooks/clerk", methodNotAllowed);

  // The public port answers /healthz only; /readyz and /metrics are on the ops listener (main.ts).
  app.use((req, res, next) => {
    if (!healthEndpoint(req, res)) next();
  });

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  app.use(jsonErrorHandler(deps.log));
  return app;
}
