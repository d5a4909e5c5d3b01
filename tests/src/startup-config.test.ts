import { spawnSync } from "node:child_process";
import path from "node:path";
import { TEST_JOB_SIGNING_KEY } from "@wh/testkit";

/** A process with a configuration that cannot work stops at once and says which variable is wrong. */
const main = (app: string) => path.resolve(__dirname, "..", "..", "apps", app, "dist", "main.js");

function start(app: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [main(app)], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

it("the receiver refuses to start with a malformed webhook secret, without printing it", () => {
  const { status, stderr } = start("receiver", {
    REDIS_URL: "redis://127.0.0.1:6390",
    STRIPE_WEBHOOK_SECRET: "sk_live_do_not_print_me_please",
    CLERK_WEBHOOK_SECRET: "whsec_MDEyMzQ1Njc4OWFiY2RlZg==",
  });
  expect(status).toBe(1);
  expect(stderr).toMatch(/STRIPE_WEBHOOK_SECRET: every secret must start with "whsec_"/);
  expect(stderr).not.toContain("do_not_print_me");
});

it("the receiver refuses to start without its secrets", () => {
  const { status, stderr } = start("receiver", { REDIS_URL: "redis://127.0.0.1:6390" });
  expect(status).toBe(1);
  expect(stderr).toMatch(/STRIPE_WEBHOOK_SECRET: is required/);
  expect(stderr).toMatch(/CLERK_WEBHOOK_SECRET: is required/);
  expect(stderr).toMatch(/JOB_SIGNING_KEY: is required/);
});

it("the worker refuses to start without a job signing key", () => {
  const { status, stderr } = start("worker", {
    REDIS_URL: "redis://127.0.0.1:6390",
    DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:5440/webhooks",
  });
  expect(status).toBe(1);
  expect(stderr).toMatch(/JOB_SIGNING_KEY: is required/);
});

it("the worker refuses a concurrency its pool cannot serve", () => {
  const { status, stderr } = start("worker", {
    REDIS_URL: "redis://127.0.0.1:6390",
    DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:5440/webhooks",
    // Every required variable present: zod skips the cross-field check when one is missing.
    JOB_SIGNING_KEY: "job-signing-key-0123456789abcdefghij",
    WORKER_CONCURRENCY: "20",
    DATABASE_POOL_MAX: "10",
  });
  expect(status).toBe(1);
  expect(stderr).toMatch(/WORKER_CONCURRENCY/);
});

it("the dashboard refuses one token for two roles, even with a required variable missing, without printing it", () => {
  const shared = "one-token-for-two-roles-do-not-print-me";
  const { status, stderr } = start("dashboard", {
    REDIS_URL: "redis://127.0.0.1:6390",
    INTERNAL_API_TOKEN: shared,
    DASHBOARD_ADMIN_TOKEN: shared,
  });
  expect(status).toBe(1);
  expect(stderr).toMatch(/DATABASE_URL: is required/);
  expect(stderr).toMatch(/DASHBOARD_ADMIN_TOKEN: shares a token with INTERNAL_API_TOKEN/);
  expect(stderr).not.toContain("do-not-print-me");
});

it("the worker refuses to start in production without STRIPE_LIVEMODE", () => {
  const { status, stderr } = start("worker", {
    NODE_ENV: "production",
    REDIS_URL: "redis://127.0.0.1:6390",
    DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:5440/webhooks",
    // Every other variable is valid, so the check cannot hide behind another error.
    JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY,
  });
  expect(status).toBe(1);
  expect(stderr).toMatch(/STRIPE_LIVEMODE: is required when NODE_ENV=production/);
});
