import { ConfigError } from "@wh/core";
import { loadWorkerEnv } from "./env";

const base = {
  REDIS_URL: "redis://127.0.0.1:6390",
  DATABASE_URL: "postgresql://u:p@127.0.0.1:5440/db",
  JOB_SIGNING_KEY: "job-signing-key-0123456789abcdefghij",
};

describe("loadWorkerEnv", () => {
  it("fills in production defaults", () => {
    expect(loadWorkerEnv(base)).toMatchObject({
      DATABASE_POOL_MAX: 10,
      WORKER_CONCURRENCY: 4,
      JOB_TIMEOUT_MS: 10_000,
      LOCK_DURATION_MS: 30_000,
      STALLED_INTERVAL_MS: 30_000,
      MAX_STALLED_COUNT: 2,
      QUEUE_PREFIX: "{wh}",
      STRIPE_LIVEMODE: false,
    });
  });

  it("needs JOB_SIGNING_KEY, each key at least 32 characters", () => {
    expect(() => loadWorkerEnv({ ...base, JOB_SIGNING_KEY: undefined })).toThrow(/JOB_SIGNING_KEY: is required/);
    expect(() => loadWorkerEnv({ ...base, JOB_SIGNING_KEY: `${base.JOB_SIGNING_KEY},short` })).toThrow(
      /JOB_SIGNING_KEY: every key must be at least 32 characters/,
    );
  });

  it("refuses a concurrency the connection pool cannot serve", () => {
    expect(() => loadWorkerEnv({ ...base, WORKER_CONCURRENCY: "8", DATABASE_POOL_MAX: "10" })).toThrow(
      /WORKER_CONCURRENCY: 2 queues × 8 jobs .* DATABASE_POOL_MAX=10/,
    );
    // Every shard is a queue per provider with its own jobs at once.
    expect(() => loadWorkerEnv({ ...base, WEBHOOK_QUEUE_SHARDS: "3", WORKER_CONCURRENCY: "4", DATABASE_POOL_MAX: "20" })).toThrow(
      /WORKER_CONCURRENCY: 6 queues × 4 jobs .* DATABASE_POOL_MAX=20/,
    );
    expect(loadWorkerEnv({ ...base, WEBHOOK_QUEUE_SHARDS: "3", WORKER_CONCURRENCY: "4", DATABASE_POOL_MAX: "25" }).WEBHOOK_QUEUE_SHARDS).toBe(3);
  });

  it("refuses a queue prefix without a hash tag on a Redis Cluster", () => {
    expect(() => loadWorkerEnv({ ...base, REDIS_URL: "redis+cluster://127.0.0.1:7001", QUEUE_PREFIX: "wh" })).toThrow(
      /QUEUE_PREFIX: must contain a non-empty \{…\} hash tag/,
    );
  });

  it("refuses a job timeout that a job lock would not cover", () => {
    expect(() => loadWorkerEnv({ ...base, JOB_TIMEOUT_MS: "20000", LOCK_DURATION_MS: "30000" })).toThrow(
      /JOB_TIMEOUT_MS: must be at most half of LOCK_DURATION_MS=30000/,
    );
  });

  it("names every missing or malformed variable without echoing values", () => {
    let error: unknown;
    try {
      loadWorkerEnv({ DATABASE_URL: "mysql://secret-password@host/db", WORKER_CONCURRENCY: "many" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/REDIS_URL: is required/);
    expect(message).toMatch(/DATABASE_URL: must start with postgresql:\/\//);
    expect(message).toMatch(/WORKER_CONCURRENCY/);
    expect(message).not.toContain("secret-password");
  });

  it("requires STRIPE_LIVEMODE in production, and defaults it to test mode elsewhere", () => {
    expect(() => loadWorkerEnv({ ...base, NODE_ENV: "production" })).toThrow(
      /STRIPE_LIVEMODE: is required when NODE_ENV=production/,
    );
    expect(loadWorkerEnv({ ...base, NODE_ENV: "production", STRIPE_LIVEMODE: "true" }).STRIPE_LIVEMODE).toBe(true);
    expect(loadWorkerEnv({ ...base, NODE_ENV: "production", STRIPE_LIVEMODE: "false" }).STRIPE_LIVEMODE).toBe(false);
    expect(loadWorkerEnv({ ...base, NODE_ENV: "development" }).STRIPE_LIVEMODE).toBe(false);
  });

  it("enables the Stripe reconciliation only with STRIPE_API_KEY, over at most Stripe's 30 days", () => {
    const defaults = loadWorkerEnv(base);
    expect(defaults.STRIPE_API_KEY).toBeUndefined();
    expect(defaults).toMatchObject({ STRIPE_RECONCILE_PATTERN: "15 4 * * *", STRIPE_RECONCILE_WINDOW_HOURS: 48 });
    expect(loadWorkerEnv({ ...base, STRIPE_API_KEY: "rk_test_x" })).toMatchObject({ STRIPE_API_KEY: "rk_test_x", STRIPE_API_URL: "https://api.stripe.com" });
    expect(() => loadWorkerEnv({ ...base, STRIPE_RECONCILE_WINDOW_HOURS: "721" })).toThrow(/STRIPE_RECONCILE_WINDOW_HOURS: must be at most 720/);
  });
});
