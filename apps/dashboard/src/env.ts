import { databaseUrl, logLevel, longSecretList, parseEnv, port, positiveInt, queuePrefix, redisUrl } from "@wh/core";
import { z } from "zod";

const dashboardEnvSchema = z.object({
  /** Its own port, never the receiver's: this app must not be reachable from the public host. */
  DASHBOARD_PORT: port(3002),
  DASHBOARD_HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: databaseUrl,
  /** Postgres connections this process may hold. */
  DATABASE_POOL_MAX: positiveInt(10),
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  /** Bearer token(s) of the internal API and Bull Board; comma-separated, several valid during rotation. */
  INTERNAL_API_TOKEN: longSecretList("token"),
  /** Budget of one entitlement decision, database included; past it the answer is a 503 deny. */
  USAGE_DECISION_TIMEOUT_MS: positiveInt(2_000),
  /** How long an Idempotency-Key of POST /v1/usage protects its request. */
  IDEMPOTENCY_KEY_TTL_HOURS: positiveInt(24).refine((hours) => hours <= 7 * 24, "must be at most 168 (7 days)"),
  LOG_LEVEL: logLevel,
});

export type DashboardEnv = z.infer<typeof dashboardEnvSchema>;

export function loadDashboardEnv(env: NodeJS.ProcessEnv = process.env): DashboardEnv {
  return parseEnv(dashboardEnvSchema, env);
}
