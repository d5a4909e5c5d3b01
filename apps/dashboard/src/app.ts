import type { PlanValidator } from "@wh/billing";
import type { Logger } from "@wh/core";
import { jsonErrorHandler, opsEndpoints, requireJsonContentType } from "@wh/http";
import type { Queue } from "bullmq";
import express, { type Express } from "express";
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
  api.post("/usage", requireJsonContentType, express.json({ limit: MAX_BODY_BYTES }), usageRoute(context));
  api.post("/can-create", requireJsonContentType, express.json({ limit: MAX_BODY_BYTES }), canCreateRoute(context));
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
  app.use(jsonErrorHandler(deps.log));
  return app;
}
