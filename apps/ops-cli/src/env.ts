import { databaseUrl, parseEnv, queuePrefix, redisUrl } from "@wh/core";
import { jobSigningEnvFields, retryPolicyEnvFields } from "@wh/queue";
import { z } from "zod";

/** The ledger, the queues, the receiver's retry policy and job signing key: what reconcile writes with. */
const reconcileBaseFields = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  ...retryPolicyEnvFields,
  ...jobSigningEnvFields,
};

const providerApiUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/**
 * `ops-cli reconcile stripe`: a Stripe key that can read events (a restricted key suffices);
 * `ops-cli reconcile clerk`: the Clerk secret key. The API URLs change only for tests.
 */
const reconcileEnvSchemas = {
  stripe: z.object({
    ...reconcileBaseFields,
    STRIPE_API_KEY: z.string().trim().min(1),
    STRIPE_API_URL: providerApiUrl("https://api.stripe.com"),
  }),
  clerk: z.object({
    ...reconcileBaseFields,
    CLERK_SECRET_KEY: z.string().trim().min(1),
    CLERK_API_URL: providerApiUrl("https://api.clerk.com"),
  }),
};

export type StripeReconcileEnv = z.infer<typeof reconcileEnvSchemas.stripe>;
export type ClerkReconcileEnv = z.infer<typeof reconcileEnvSchemas.clerk>;

/** Throws ConfigError naming every bad variable (values are never echoed). */
export function loadStripeReconcileEnv(env: Record<string, string | undefined>): StripeReconcileEnv {
  return parseEnv(reconcileEnvSchemas.stripe, env);
}

export function loadClerkReconcileEnv(env: Record<string, string | undefined>): ClerkReconcileEnv {
  return parseEnv(reconcileEnvSchemas.clerk, env);
}
