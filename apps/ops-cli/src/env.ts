import { databaseUrl, parseEnv, secretList } from "@wh/core";
import { checkQueueEnv, jobSigningEnvFields, queueEnvFields, retryPolicyEnvFields, type WebhookProvider } from "@wh/queue";
import { z } from "zod";

/** The ledger, the queues, the receiver's retry policy and job signing key: what replay and reconcile write with. */
const queueWriterFields = {
  DATABASE_URL: databaseUrl,
  ...queueEnvFields,
  ...retryPolicyEnvFields,
  ...jobSigningEnvFields,
};

/** `ops-cli replay`. */
export const replayEnvSchema = z.object(queueWriterFields).superRefine(checkQueueEnv, { when: () => true });

export type ReplayEnv = z.infer<typeof replayEnvSchema>;

/** Throws ConfigError naming every bad variable (values are never echoed). */
export function loadReplayEnv(env: Record<string, string | undefined>): ReplayEnv {
  return parseEnv(replayEnvSchema, env);
}

/**
 * `ops-cli trigger`: the ledger it reads, and the endpoint secret of the event's provider (the
 * receiver's variable; the first of a rotation list signs).
 */
const triggerEnvSchemas = {
  stripe: z.object({ DATABASE_URL: databaseUrl, STRIPE_WEBHOOK_SECRET: secretList("whsec_") }),
  clerk: z.object({ DATABASE_URL: databaseUrl, CLERK_WEBHOOK_SECRET: secretList("whsec_") }),
};

export interface TriggerEnv {
  DATABASE_URL: string;
  /** The secret deliveries of this provider are signed with. */
  signingSecret: string;
}

export function loadTriggerEnv(env: Record<string, string | undefined>, provider: WebhookProvider): TriggerEnv {
  if (provider === "stripe") {
    const parsed = parseEnv(triggerEnvSchemas.stripe, env);
    return { DATABASE_URL: parsed.DATABASE_URL, signingSecret: parsed.STRIPE_WEBHOOK_SECRET[0]! };
  }
  const parsed = parseEnv(triggerEnvSchemas.clerk, env);
  return { DATABASE_URL: parsed.DATABASE_URL, signingSecret: parsed.CLERK_WEBHOOK_SECRET[0]! };
}

const providerApiUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/**
 * `ops-cli reconcile stripe`: a Stripe key that can read events (a restricted key suffices);
 * `ops-cli reconcile clerk`: the Clerk secret key. The API URLs change only for tests.
 */
const reconcileEnvSchemas = {
  stripe: z
    .object({
      ...queueWriterFields,
      STRIPE_API_KEY: z.string().trim().min(1),
      STRIPE_API_URL: providerApiUrl("https://api.stripe.com"),
    })
    .superRefine(checkQueueEnv, { when: () => true }),
  clerk: z
    .object({
      ...queueWriterFields,
      CLERK_SECRET_KEY: z.string().trim().min(1),
      CLERK_API_URL: providerApiUrl("https://api.clerk.com"),
    })
    .superRefine(checkQueueEnv, { when: () => true }),
};

export type StripeReconcileEnv = z.infer<typeof reconcileEnvSchemas.stripe>;
export type ClerkReconcileEnv = z.infer<typeof reconcileEnvSchemas.clerk>;

export function loadStripeReconcileEnv(env: Record<string, string | undefined>): StripeReconcileEnv {
  return parseEnv(reconcileEnvSchemas.stripe, env);
}

export function loadClerkReconcileEnv(env: Record<string, string | undefined>): ClerkReconcileEnv {
  return parseEnv(reconcileEnvSchemas.clerk, env);
}
