import { ConfigError } from "@wh/core";
import { loadReceiverEnv } from "./env";

const base = {
  REDIS_URL: "redis://127.0.0.1:6390",
  STRIPE_WEBHOOK_SECRET: "whsec_0123456789abcdef",
  CLERK_WEBHOOK_SECRET: "whsec_MDEyMzQ1Njc4OWFiY2RlZg==",
  JOB_SIGNING_KEY: "job-signing-key-0123456789abcdefghij",
};

describe("loadReceiverEnv", () => {
  it("reads several secrets for rotation and fills in defaults", () => {
    const env = loadReceiverEnv({ ...base, STRIPE_WEBHOOK_SECRET: "whsec_0123456789abcdef, whsec_fedcba9876543210" });
    expect(env.STRIPE_WEBHOOK_SECRET).toEqual(["whsec_0123456789abcdef", "whsec_fedcba9876543210"]);
    expect(env).toMatchObject({ RECEIVER_PORT: 3000, RECEIVER_OPS_PORT: 3003, RECEIVER_OPS_HOST: "127.0.0.1", ENQUEUE_TIMEOUT_MS: 2_000, JOB_ATTEMPTS: 12, QUEUE_PREFIX: "{wh}" });
  });

  it.each([
    ["missing", undefined, /STRIPE_WEBHOOK_SECRET: is required/],
    ["empty", " , ", /STRIPE_WEBHOOK_SECRET: must contain at least one secret/],
    ["an API key pasted by mistake", "sk_live_0123456789abcdef", /STRIPE_WEBHOOK_SECRET: every secret must start with "whsec_"/],
    ["truncated", "whsec_12", /STRIPE_WEBHOOK_SECRET: every secret must start with "whsec_" and be complete/],
  ])("stops at start when the Stripe secret is %s, without echoing it", (_case, value, message) => {
    let error: unknown;
    try {
      loadReceiverEnv({ ...base, STRIPE_WEBHOOK_SECRET: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    if (value && value.trim().length > 4) expect((error as Error).message).not.toContain(value);
  });

  it("reads JOB_SIGNING_KEY as a rotation list and refuses a missing or short key without echoing it", () => {
    expect(loadReceiverEnv({ ...base, JOB_SIGNING_KEY: `${base.JOB_SIGNING_KEY}, job-signing-key-rotated-9876543210zyxw` }).JOB_SIGNING_KEY).toEqual([
      base.JOB_SIGNING_KEY,
      "job-signing-key-rotated-9876543210zyxw",
    ]);
    expect(() => loadReceiverEnv({ ...base, JOB_SIGNING_KEY: undefined })).toThrow(/JOB_SIGNING_KEY: is required/);
    expect(() => loadReceiverEnv({ ...base, JOB_SIGNING_KEY: "short-do-not-print" })).toThrow(
      /^(?![\s\S]*short-do-not-print)[\s\S]*JOB_SIGNING_KEY: every key must be at least 32 characters/,
    );
  });

  it("refuses an enqueue timeout above two seconds", () => {
    expect(() => loadReceiverEnv({ ...base, ENQUEUE_TIMEOUT_MS: "5000" })).toThrow(/ENQUEUE_TIMEOUT_MS: must be at most 2000 ms/);
  });
});
