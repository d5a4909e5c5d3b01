import { databaseUrl, logLevel, longSecretList, parseEnv, port, positiveInt, trustProxy } from "@wh/core";
import { checkQueueEnv, jobSigningEnvFields, queueEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

/** Comma-separated bearer tokens, several valid at once during rotation; each long enough to be a secret. */
const tokenList = longSecretList("token");

/** A role's tokens, or none: unset (or blank) disables the role, there is no default. */
const optionalTokenList = z.preprocess(
  (raw) => (typeof raw === "string" && raw.trim() === "" ? undefined : raw),
  tokenList.optional().transform((tokens) => tokens ?? []),
);

/** The origin browsers use to reach the dashboard (scheme, host and port, nothing else). */
const publicOrigin = z
  .url({ protocol: /^https?$/, error: "must be an http(s) origin such as https://ops.example.com" })
  .refine((raw) => URL.canParse(raw) && new URL(raw).origin === raw.replace(/\/$/, ""), "must be an origin only (no path, query or credentials)")
  .transform((raw) => new URL(raw).origin)
  .optional();

/** Each credential opens one door: the service API, the read-only operator view, or the operator actions. */
const ROLE_TOKEN_VARIABLES = ["INTERNAL_API_TOKEN", "DASHBOARD_VIEWER_TOKEN", "DASHBOARD_ADMIN_TOKEN"] as const;

const dashboardEnvSchema = z
  .object({
    /** Its own port, never the receiver's: this app must not be reachable from the public host. */
    DASHBOARD_PORT: port(3002),
    DASHBOARD_HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: databaseUrl,
    /** Postgres connections this process may hold. */
    DATABASE_POOL_MAX: positiveInt(10),
    ...queueEnvFields,
    /** Bearer token(s) of the internal service API (/v1) only. */
    INTERNAL_API_TOKEN: tokenList,
    /** Token(s) of operators who may look (Bull Board read-only); unset disables the role. */
    DASHBOARD_VIEWER_TOKEN: optionalTokenList,
    /** Token(s) of operators who may act (retry, clean, pause); unset disables the role. */
    DASHBOARD_ADMIN_TOKEN: optionalTokenList,
    /** Where browsers reach the dashboard; state changes from any other origin are refused. */
    DASHBOARD_PUBLIC_ORIGIN: publicOrigin,
    /** Express `trust proxy`: only then is X-Forwarded-Host taken as the dashboard's own host. */
    TRUST_PROXY: trustProxy,
    /** Budget of one entitlement decision, database included; past it the answer is a 503 deny. */
    USAGE_DECISION_TIMEOUT_MS: positiveInt(2_000),
    /** How long an Idempotency-Key of POST /v1/usage protects its request. */
    IDEMPOTENCY_KEY_TTL_HOURS: positiveInt(24).refine((hours) => hours <= 7 * 24, "must be at most 168 (7 days)"),
    /** How often queue, Redis memory and deferred-event gauges are sampled for /metrics. */
    QUEUE_METRICS_INTERVAL_MS: positiveInt(5_000),
    LOG_LEVEL: logLevel,
    /** Replays from /admin sign their jobs like the receiver (same keys) and add them with its retry policy. */
    ...jobSigningEnvFields,
    ...retryPolicyEnvFields,
  })
  .superRefine(
    (env, ctx) => {
      const roleOfToken = new Map<string, string>();
      for (const variable of ROLE_TOKEN_VARIABLES) {
        const tokens: unknown = env[variable];
        if (!Array.isArray(tokens)) continue;
        for (const token of tokens as string[]) {
          const other = roleOfToken.get(token);
          if (other !== undefined && other !== variable) {
            ctx.addIssue({ code: "custom", path: [variable], message: `shares a token with ${other}: every token must serve one role only` });
          }
          if (other === undefined) roleOfToken.set(token, variable);
        }
      }
    },
    // zod skips refinements once a field failed (a missing DATABASE_URL, say); a token shared by
    // two roles must be reported all the same, so this check reads whatever token lists parsed.
    { when: () => true },
  )
  .superRefine(checkQueueEnv, { when: () => true });

export type DashboardEnv = z.infer<typeof dashboardEnvSchema>;

export function loadDashboardEnv(env: NodeJS.ProcessEnv = process.env): DashboardEnv {
  return parseEnv(dashboardEnvSchema, env);
}
