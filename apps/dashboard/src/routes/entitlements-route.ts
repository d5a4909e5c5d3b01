import type { PlanValidator } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { Request, Response } from "express";
import type { DashboardMetrics } from "../dashboard-metrics";
import { denialResponse } from "./denial-response";
import { clerkUserIdSchema, parseOr400 } from "./request-input";

/**
 * GET /v1/entitlements/:clerkUserId: plan, limits, usage this period and what remains. A user
 * without a plan (or with an unknown one) gets 200 with zero limits; 403 deleted; 404 unknown;
 * 503 when the database cannot answer.
 */
export function entitlementsRoute(context: { validator: PlanValidator; metrics: DashboardMetrics; log: Logger }) {
  return async (req: Request, res: Response): Promise<void> => {
    const clerkUserId = parseOr400(clerkUserIdSchema, req.params.clerkUserId, res);
    if (clerkUserId === undefined) return;
    const result = await context.validator.entitlements(clerkUserId);
    context.metrics.decisions.inc({ route: "entitlements", outcome: result.status === "ok" ? "ok" : result.reason });
    if (result.status === "ok") {
      res.json(result.entitlements);
      return;
    }
    const { status, error } = denialResponse(result.reason);
    if (result.reason === "unavailable") {
      context.log.warn({ route: "entitlements", err: result.detail }, "entitlements unavailable");
      res.set("Retry-After", "1");
    }
    res.status(status).json({ error });
  };
}
