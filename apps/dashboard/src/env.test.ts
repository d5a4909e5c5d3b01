import { ConfigError } from "@wh/core";
import { loadDashboardEnv } from "./env";

const base = {
  DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db",
  REDIS_URL: "redis://127.0.0.1:6379",
  INTERNAL_API_TOKEN: "a-long-enough-internal-token-0123456789",
};

describe("loadDashboardEnv", () => {
  it("has its own port and safe defaults", () => {
    expect(loadDashboardEnv(base)).toMatchObject({
      DASHBOARD_PORT: 3002,
      DASHBOARD_HOST: "127.0.0.1",
      DATABASE_POOL_MAX: 10,
      QUEUE_PREFIX: "{wh}",
      INTERNAL_API_TOKEN: [base.INTERNAL_API_TOKEN],
      USAGE_DECISION_TIMEOUT_MS: 2_000,
      IDEMPOTENCY_KEY_TTL_HOURS: 24,
    });
  });

  it("accepts several tokens for rotation", () => {
    const next = "another-long-enough-token-9876543210";
    expect(loadDashboardEnv({ ...base, INTERNAL_API_TOKEN: `${base.INTERNAL_API_TOKEN}, ${next}` }).INTERNAL_API_TOKEN).toEqual([
      base.INTERNAL_API_TOKEN,
      next,
    ]);
  });

  it("stops at start without a token or with a short one, naming the variable and never echoing it", () => {
    expect(() => loadDashboardEnv({ ...base, INTERNAL_API_TOKEN: undefined })).toThrow(/INTERNAL_API_TOKEN: is required/);
    const short = "short-token";
    let error: unknown;
    try {
      loadDashboardEnv({ ...base, INTERNAL_API_TOKEN: short });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/INTERNAL_API_TOKEN: every token must be at least 32 characters/);
    expect((error as Error).message).not.toContain(short);
    expect(() => loadDashboardEnv({ ...base, IDEMPOTENCY_KEY_TTL_HOURS: "500" })).toThrow(/IDEMPOTENCY_KEY_TTL_HOURS/);
  });
});
