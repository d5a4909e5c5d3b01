import type { PlanValidator } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import type { ReplayWebhookJobOptions } from "@wh/queue";
import { jsonErrorHandler, opsEndpoints, requireJsonContentType } from "@wh/http";
import express, { type Express } from "express";
import helmet from "helmet";
import { adminApi } from "./admin/admin-api";
import { ADMIN_PAGE_CSP, adminPages } from "./admin/admin-pages";
import { ADMIN_PAGE_PATH } from "./admin/admin-path";
import { csrfGuard } from "./auth/csrf-guard";
import { operatorAccess, type OperatorTokens } from "./auth/operator-access";
import { requireToken } from "./auth/require-token";
import { BULL_BOARD_PATH, bullBoardForRoles, type BoardQueues } from "./bull-board";
import type { DashboardMetrics } from "./dashboard-metrics";
import { canCreateRoute } from "./routes/can-create-route";
import { entitlementsRoute } from "./routes/entitlements-route";
import { usageRoute } from "./routes/usage-route";
import { webhookQueueEditGuard } from "./webhook-queue-edit-guard";

export interface DashboardDependencies {
  validator: PlanValidator;
  /** The ledger the operators search and replay from. */
  prisma: PrismaClient;
  /** The webhook queues, job options and signing keys replays use (the replay CLI's). */
  replay: ReplayWebhookJobOptions;
  /** Bearer tokens of the service API /v1 (several during rotation). */
  serviceTokens: readonly string[];
  /** Tokens of the operator roles under /admin; an empty list disables the role. */
  operatorTokens: OperatorTokens;
  /** DASHBOARD_PUBLIC_ORIGIN; without it, state changes must come from the request's own host. */
  publicOrigin: string | undefined;
  /** Express `trust proxy` (TRUST_PROXY): only then is X-Forwarded-Host our host. */
  trustProxy: boolean | number | string;
  /** Queues shown in Bull Board. */
  boardQueues: BoardQueues;
  metrics: DashboardMetrics;
  log: Logger;
  isReady: () => Promise<boolean>;
}

/** Requests are small JSON documents; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The internal API (entitlements, usage) and Bull Board. Never exposed on the public host: it
 * listens on its own port and every route but the health checks and /metrics needs a token.
 * Three credentials, none of which opens another's door: services use /v1, operators /admin
 * (viewers look, admins act).
 */
export function createDashboardApp(deps: DashboardDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);

  const ops = opsEndpoints({ isReady: deps.isReady, registry: deps.metrics.registry });
  app.use((req, res, next) => {
    if (!ops(req, res)) next();
  });

  const context = { validator: deps.validator, metrics: deps.metrics, log: deps.log };
  const api = express.Router();
  api.use(helmet());
  api.use(requireToken(deps.serviceTokens));
  api.get("/entitlements/:clerkUserId", entitlementsRoute(context));
  api.post("/usage", requireJsonContentType, express.json({ limit: MAX_BODY_BYTES }), usageRoute(context));
  api.post("/can-create", requireJsonContentType, express.json({ limit: MAX_BODY_BYTES }), canCreateRoute(context));
  app.use("/v1", api);

  // Every browser-facing state change lives under /admin: one CSRF check for all of it.
  app.use("/admin", csrfGuard({ publicOrigin: deps.publicOrigin }));
  const operators = operatorAccess(deps.operatorTokens);
  const replayContext = { prisma: deps.prisma, replay: deps.replay, log: deps.log };
  app.use(`${ADMIN_PAGE_PATH}/api`, helmet(), operators.requireForMethod, adminApi(replayContext));
  // Bull Board's page runs its own scripts and styles: no CSP there, helmet's other headers stay.
  app.use(
    BULL_BOARD_PATH,
    helmet({ contentSecurityPolicy: false }),
    operators.requireForMethod,
    webhookQueueEditGuard(deps.boardQueues.webhooks),
    bullBoardForRoles(deps.boardQueues),
  );
  app.use(ADMIN_PAGE_PATH, helmet({ contentSecurityPolicy: ADMIN_PAGE_CSP }), adminPages(replayContext, operators));

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  app.use(jsonErrorHandler(deps.log));
  return app;
}
