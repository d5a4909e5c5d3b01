import { DEV_SECRETS, missingDevSecrets } from "./dev-secrets";

describe("missingDevSecrets", () => {
  it("fills what is unset or empty and keeps what the environment sets", () => {
    const missing = missingDevSecrets({ JOB_SIGNING_KEY: "a-key-of-my-own-0123456789abcdef0123", INTERNAL_API_TOKEN: "" });
    expect(missing.JOB_SIGNING_KEY).toBeUndefined();
    expect(missing.INTERNAL_API_TOKEN).toBe(DEV_SECRETS.INTERNAL_API_TOKEN);
    expect(Object.keys(missing).sort()).toEqual(Object.keys(DEV_SECRETS).filter((name) => name !== "JOB_SIGNING_KEY").sort());
  });

  it("has tokens and keys the apps accept (each at least 32 characters) and Svix-shaped webhook secrets", () => {
    for (const name of ["INTERNAL_API_TOKEN", "DASHBOARD_VIEWER_TOKEN", "DASHBOARD_ADMIN_TOKEN", "JOB_SIGNING_KEY"] as const) {
      expect(DEV_SECRETS[name].length).toBeGreaterThanOrEqual(32);
    }
    expect(DEV_SECRETS.CLERK_WEBHOOK_SECRET).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(DEV_SECRETS.STRIPE_WEBHOOK_SECRET).toMatch(/^whsec_/);
  });
});
