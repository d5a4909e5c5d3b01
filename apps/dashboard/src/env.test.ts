import { ConfigError } from "@wh/core";
import { loadDashboardEnv } from "./env";

const SERVICE = "a-long-enough-internal-token-0123456789";
const VIEWER = "a-long-enough-viewer-token-0123456789ab";
const ADMIN = "a-long-enough-admin-token-0123456789abc";

const base = {
  DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db",
  REDIS_URL: "redis://127.0.0.1:6379",
  INTERNAL_API_TOKEN: SERVICE,
  JOB_SIGNING_KEY: "a-long-enough-job-signing-key-0123456789",
};

function configError(env: Record<string, string | undefined>): string {
  try {
    loadDashboardEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("loadDashboardEnv", () => {
  it("has its own port and safe defaults: no operator role without its token", () => {
    expect(loadDashboardEnv(base)).toMatchObject({
      DASHBOARD_PORT: 3002,
      DASHBOARD_HOST: "127.0.0.1",
      DATABASE_POOL_MAX: 10,
      QUEUE_PREFIX: "{wh}",
      INTERNAL_API_TOKEN: [SERVICE],
      DASHBOARD_VIEWER_TOKEN: [],
      DASHBOARD_ADMIN_TOKEN: [],
      TRUST_PROXY: "false",
      USAGE_DECISION_TIMEOUT_MS: 2_000,
      IDEMPOTENCY_KEY_TTL_HOURS: 24,
      QUEUE_METRICS_INTERVAL_MS: 5_000,
    });
    expect(loadDashboardEnv(base).DASHBOARD_PUBLIC_ORIGIN).toBeUndefined();
    expect(loadDashboardEnv({ ...base, DASHBOARD_VIEWER_TOKEN: " ", DASHBOARD_ADMIN_TOKEN: "" })).toMatchObject({
      DASHBOARD_VIEWER_TOKEN: [],
      DASHBOARD_ADMIN_TOKEN: [],
    });
  });

  it("needs the job signing key: replays from /admin sign their jobs", () => {
    expect(configError({ ...base, JOB_SIGNING_KEY: undefined })).toMatch(/JOB_SIGNING_KEY: is required/);
  });

  it("accepts several tokens per role for rotation", () => {
    const next = "another-long-enough-token-9876543210";
    expect(loadDashboardEnv({ ...base, INTERNAL_API_TOKEN: `${SERVICE}, ${next}` }).INTERNAL_API_TOKEN).toEqual([SERVICE, next]);
    const env = loadDashboardEnv({ ...base, DASHBOARD_VIEWER_TOKEN: `${VIEWER},${next}`, DASHBOARD_ADMIN_TOKEN: ADMIN });
    expect([env.DASHBOARD_VIEWER_TOKEN, env.DASHBOARD_ADMIN_TOKEN]).toEqual([[VIEWER, next], [ADMIN]]);
  });

  it("stops at start without a service token or with a short token, naming the variable and never echoing it", () => {
    expect(configError({ ...base, INTERNAL_API_TOKEN: undefined })).toMatch(/INTERNAL_API_TOKEN: is required/);
    const short = "short-token";
    for (const variable of ["INTERNAL_API_TOKEN", "DASHBOARD_VIEWER_TOKEN", "DASHBOARD_ADMIN_TOKEN"]) {
      const message = configError({ ...base, [variable]: `${ADMIN.replace("admin", "other")},${short}` });
      expect(message).toMatch(new RegExp(`${variable}: every token must be at least 32 characters`));
      expect(message).not.toContain(short);
    }
    expect(configError({ ...base, IDEMPOTENCY_KEY_TTL_HOURS: "500" })).toMatch(/IDEMPOTENCY_KEY_TTL_HOURS/);
    expect(configError({ ...base, QUEUE_METRICS_INTERVAL_MS: "0" })).toMatch(/QUEUE_METRICS_INTERVAL_MS/);
  });

  it.each([
    ["the service and the viewer", { DASHBOARD_VIEWER_TOKEN: SERVICE }, /DASHBOARD_VIEWER_TOKEN: shares a token with INTERNAL_API_TOKEN/],
    ["the service and the admin", { DASHBOARD_ADMIN_TOKEN: `${ADMIN},${SERVICE}` }, /DASHBOARD_ADMIN_TOKEN: shares a token with INTERNAL_API_TOKEN/],
    ["the viewer and the admin", { DASHBOARD_VIEWER_TOKEN: VIEWER, DASHBOARD_ADMIN_TOKEN: ` ${VIEWER} ` }, /DASHBOARD_ADMIN_TOKEN: shares a token with DASHBOARD_VIEWER_TOKEN/],
  ])("refuses one token serving %s, without echoing it", (_label, roles, message) => {
    const error = configError({ ...base, ...roles });
    expect(error).toMatch(message);
    expect(error).not.toContain(VIEWER);
    expect(error).not.toContain(SERVICE);
  });

  it("reports a shared token even when another variable is missing (zod would skip the check)", () => {
    const error = configError({ ...base, DATABASE_URL: undefined, DASHBOARD_ADMIN_TOKEN: VIEWER, DASHBOARD_VIEWER_TOKEN: VIEWER });
    expect(error).toMatch(/DATABASE_URL: is required/);
    expect(error).toMatch(/DASHBOARD_ADMIN_TOKEN: shares a token with DASHBOARD_VIEWER_TOKEN/);
    const withoutService = configError({ ...base, INTERNAL_API_TOKEN: undefined, DASHBOARD_ADMIN_TOKEN: VIEWER, DASHBOARD_VIEWER_TOKEN: VIEWER });
    expect(withoutService).toMatch(/INTERNAL_API_TOKEN: is required/);
    expect(withoutService).toMatch(/DASHBOARD_ADMIN_TOKEN: shares a token/);
  });

  it("takes DASHBOARD_PUBLIC_ORIGIN as an origin only, and TRUST_PROXY as written", () => {
    expect(loadDashboardEnv({ ...base, DASHBOARD_PUBLIC_ORIGIN: "https://ops.example.com/" }).DASHBOARD_PUBLIC_ORIGIN).toBe("https://ops.example.com");
    expect(loadDashboardEnv({ ...base, DASHBOARD_PUBLIC_ORIGIN: "http://127.0.0.1:3002" }).DASHBOARD_PUBLIC_ORIGIN).toBe("http://127.0.0.1:3002");
    for (const bad of ["ops.example.com", "https://ops.example.com/admin", "ftp://ops.example.com", "https://user:pw@ops.example.com"]) {
      expect(configError({ ...base, DASHBOARD_PUBLIC_ORIGIN: bad })).toMatch(/DASHBOARD_PUBLIC_ORIGIN: must be/);
    }
    expect(loadDashboardEnv({ ...base, TRUST_PROXY: "1" }).TRUST_PROXY).toBe("1");
  });
});
