import { IDEMPOTENCY_KEY_PATTERN, MAX_USAGE_AMOUNT, METERED_METRICS, type PlanValidator, type UsageReceipt } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { Request, Response } from "express";
import { z } from "zod";
import type { DashboardMetrics } from "../dashboard-metrics";
import { denialResponse } from "./denial-response";
import { clerkUserIdSchema, parseOr400 } from "./request-input";

const usageBodySchema = z.strictObject({
  clerkUserId: clerkUserIdSchema,
  metric: z.enum(METERED_METRICS),
  amount: z.number().int().min(1).max(MAX_USAGE_AMOUNT).default(1),
});

export interface UsageRouteContext {
  validator: PlanValidator;
  metrics: DashboardMetrics;
  log: Logger;
}

/**
 * POST /v1/usage: counts usage if the plan allows all of it. 200 with the new usage; 402 when the
 * limit is reached (nothing counted); 403/404 for the user; 422 for a reused Idempotency-Key;
 * 503 when the database cannot answer. A replayed answer carries `Idempotent-Replayed: true`.
 */
export function usageRoute(context: UsageRouteContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const idempotencyKey = req.get("idempotency-key");
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      res.status(400).json({ error: "invalid_request", issues: [{ path: "Idempotency-Key", message: "must be 1-255 printable ASCII characters" }] });
      return;
    }
    const body = parseOr400(usageBodySchema, req.body, res);
    if (!body) return;

    const outcome = await context.validator.recordUsage({ ...body, idempotencyKey });
    context.metrics.decisions.inc({ route: "usage", outcome: outcome.status === "denied" ? outcome.reason : outcome.status });
    switch (outcome.status) {
      case "granted":
      case "limit_reached": {
        if (outcome.replayed) res.set("Idempotent-Replayed", "true");
        const status = outcome.status === "granted" ? 200 : 402;
        const error = outcome.status === "granted" ? {} : { error: "limit_reached" };
        res.status(status).json({ ...error, clerkUserId: body.clerkUserId, ...usageBody(outcome.receipt) });
        return;
      }
      case "denied": {
        const { status, error } = denialResponse(outcome.reason);
        if (outcome.reason === "unavailable") {
          context.log.warn({ route: "usage", metric: body.metric, err: outcome.detail }, "usage denied: database unavailable");
          res.set("Retry-After", "1");
        }
        res.status(status).json({ error });
        return;
      }
      case "idempotency_key_reused":
        res.status(422).json({ error: "idempotency_key_reused", message: "this Idempotency-Key was used for a different request" });
        return;
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled usage outcome ${JSON.stringify(unhandled)}`);
      }
    }
  };
}

function usageBody(receipt: UsageReceipt) {
  return {
    metric: receipt.metric,
    amount: receipt.amount,
    plan: receipt.plan,
    period: { start: receipt.periodStart, end: receipt.periodEnd },
    used: receipt.used,
    limit: receipt.limit,
    remaining: receipt.remaining,
  };
}
