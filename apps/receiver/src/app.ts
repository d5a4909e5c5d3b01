import type { RequestListener } from "node:http";
import type { Logger } from "@wh/core";
import { healthEndpoint, jsonErrorHandler } from "@wh/http";
import type { WebhookProducer } from "@wh/queue";
import express from "express";
import helmet from "helmet";
import type { ReceiverMetrics } from "./receiver-metrics";
import { clerkWebhookRoute } from "./routes/clerk-webhook-route";
import { stripeWebhookRoute } from "./routes/stripe-webhook-route";
import { webhookListener } from "./webhook-listener";

export interface ReceiverDependencies {
  producer: WebhookProducer;
  metrics: ReceiverMetrics;
  log: Logger;
  stripeSecrets: readonly string[];
  clerkSecrets: readonly string[];
  trustProxy: boolean | number | string;
}

/** The public port: the webhook routes on node:http (webhook-listener.ts), everything else on Express. */
export function createReceiverApp(deps: ReceiverDependencies): RequestListener {
  const context = { producer: deps.producer, metrics: deps.metrics, log: deps.log };
  const routes = {
    "/webhooks/stripe": stripeWebhookRoute(context, deps.stripeSecrets),
    "/webhooks/clerk": clerkWebhookRoute(context, deps.clerkSecrets),
  };
  return webhookListener(routes, otherRoutes(deps), deps.log);
}

/** Not on the webhook path, so Express and helmet cost nothing per delivery. */
function otherRoutes(deps: ReceiverDependencies): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.use(helmet());

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
