/**
 * Development-only values of the secrets and tokens: the run, load and bench commands use them
 * when the environment does not set its own. Never use them in production.
 */
export const DEV_SECRETS = {
  STRIPE_WEBHOOK_SECRET: "whsec_local_development_only_stripe",
  CLERK_WEBHOOK_SECRET: "whsec_bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1jbGVyaw==",
  INTERNAL_API_TOKEN: "local-development-only-internal-api-token",
  DASHBOARD_VIEWER_TOKEN: "local-development-only-dashboard-viewer-token",
  DASHBOARD_ADMIN_TOKEN: "local-development-only-dashboard-admin-token",
  JOB_SIGNING_KEY: "local-development-only-job-signing-key",
} as const;

export type DevSecretName = keyof typeof DEV_SECRETS;

/** The development values of the secrets that `env` leaves unset or empty (as the shell's `${X:-default}`). */
export function missingDevSecrets(env: Readonly<Record<string, string | undefined>>): Partial<Record<DevSecretName, string>> {
  const missing: Partial<Record<DevSecretName, string>> = {};
  for (const [name, value] of Object.entries(DEV_SECRETS) as [DevSecretName, string][]) {
    if (!env[name]) missing[name] = value;
  }
  return missing;
}
