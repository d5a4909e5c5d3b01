import { HELD_RESOURCES, type PlanValidator } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { Request, Response } from "express";
import { z } from "zod";
import type { DashboardMetrics } from "../dashboard-metrics";
import { denialResponse } from "./denial-response";
import { clerkUserIdSchema, parseOr400 } from "./request-input";

const canCreateBodySchema = z.strictObject({
  clerkUserId: clerkUserIdSchema,
  resource: z.enum(HELD_RESOURCES),
  /** How many the user holds now; the product counts them, the plan caps them. */
  held: z.number().int().min(0).max(1_000_000_000),
});

/**
 * POST /v1/can-create: may the user create one more of a held resource (e.g. a list)? 200 with
 * `allowed: true`, otherwise the deny's status with `allowed: false` (fail closed, 503 included).
 */
export function canCreateRoute(context: { validator: PlanValidator; metrics: DashboardMetrics; log: Logger }) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = parseOr400(canCreateBodySchema, req.body, res);
    if (!body) return;
    const decision = await context.validator.canCreate(body.clerkUserId, body.resource, body.held);
    context.metrics.decisions.inc({ route: "can-create", outcome: decision.allowed ? "allowed" : decision.reason });
    if (decision.allowed) {
      res.json({ allowed: true, plan: decision.plan, cap: decision.limit, held: decision.used, remaining: decision.remaining });
      return;
    }
    const { status, error } = denialResponse(decision.reason);
    if (decision.reason === "unavailable") {
      context.log.warn({ route: "can-create", err: decision.detail }, "can-create unavailable");
      res.set("Retry-After", "1");
    }
    const limits = decision.limit === undefined ? {} : { plan: decision.plan, cap: decision.limit, held: decision.used, remaining: decision.remaining };
    res.status(status).json({ allowed: false, error, ...limits });
  };
}
