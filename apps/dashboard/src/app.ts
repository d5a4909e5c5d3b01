import type { PlanValidator } from "@wh/billing";
import type { Logger } from "@wh/core";
import { opsEndpoints } from "@wh/http";
import type { Queue } from "bullmq";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import helmet from "helmet";
import { requireToken } from "./auth/require-token";
import { BULL_BOARD_PATH, bullBoardRouter } from "./bull-board";
import type { DashboardMetrics } from "./dashboard-metrics";
import { canCreateRoute } from "./routes/can-create-route";
import { entitlementsRoute } from "./routes/entitlements-route";
import { usageRoute } from "./routes/usage-route";

export interface DashboardDependencies {
  validator: PlanValidator;
  /** Valid bearer tokens (several during rotation). */
  tokens: readonly string[];
  /** Queues shown in Bull Board. */
  boardQueues: readonly Queue[];
  metrics: DashboardMetrics;
  log: Logger;
  isReady: () => Promise<boolean>;
}

/** Requests are small JSON documents; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is("application/json")) {
    res.status(415).json({ error: "content type must be application/json" });
    return;
  }
  next();
};

/**
 * The internal API (entitlements, usage) and Bull Board. Never exposed on the public host: it
 * listens on its own port and every route but the health checks and /metrics needs the token.
 */
export function createDashboardApp(deps: DashboardDependencies): Express {
  const app = express();
  app.disable("x-powered-by");

  const ops = opsEndpoints({ isReady: deps.isReady, registry: deps.metrics.registry });
  app.use((req, res, next) => {
    if (!ops(req, res)) next();
  });

  const context = { validator: deps.validator, metrics: deps.metrics, log: deps.log };
  const api = express.Router();
  api.use(helmet());
  api.use(requireToken(deps.tokens, { basic: false }));
  api.get("/entitlements/:clerkUserId", entitlementsRoute(context));
  api.post("/usage", requireJson, express.json({ limit: MAX_BODY_BYTES }), usageRoute(context));
  api.post("/can-create", requireJson, express.json({ limit: MAX_BODY_BYTES }), canCreateRoute(context));
  app.use("/v1", api);

  // Bull Board's page runs its own scripts and styles: no CSP there, helmet's other headers stay.
  app.use(
    BULL_BOARD_PATH,
    helmet({ contentSecurityPolicy: false }),
    requireToken(deps.tokens, { basic: true }),
    bullBoardRouter(deps.boardQueues),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  app.use(errorHandler(deps.log));
  return app;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === "entity.too.large") {
      res.status(413).json({ error: "payload too large" });
      return;
    }
    if (error.type === "entity.parse.failed") {
      res.status(400).json({ error: "malformed JSON" });
      return;
    }
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: "bad request" });
      return;
    }
    log.error({ err: error }, "unhandled dashboard error");
    res.status(500).json({ error: "internal error" });
  };
}
