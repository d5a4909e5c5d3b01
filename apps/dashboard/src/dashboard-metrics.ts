import { Counter, Registry, collectDefaultMetrics } from "prom-client";

export interface DashboardMetrics {
  registry: Registry;
  /** Every answer of the internal API by route and outcome (granted, limit_reached, unavailable, …). */
  decisions: Counter<"route" | "outcome">;
}

export function createDashboardMetrics(): DashboardMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    decisions: new Counter({
      name: "internal_api_decisions_total",
      help: "Answers of the internal API by route and outcome; alert on a rise of outcome=unavailable.",
      labelNames: ["route", "outcome"],
      registers: [registry],
    }),
  };
}
