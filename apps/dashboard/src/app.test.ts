import type { Server } from "node:http";
import { PlanValidator, PLANS } from "@wh/billing";
import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createMaintenanceQueue,
  createProducerConnection,
  createWebhookQueues,
  DEFAULT_DEFERRED_SWEEP_PATTERN,
  DEFAULT_LEDGER_CLEANUP_PATTERN,
  DEFAULT_RETRY_POLICY,
  DEFAULT_USAGE_RESET_PATTERN,
  upsertMaintenanceSchedulers,
  webhookJobOptions,
  type WebhookQueues,
  type RedisConnection,
} from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, freePort, testServers, uniqueId, uniqueQueuePrefix } from "@wh/testkit";
import type { Queue } from "bullmq";
import type { Express } from "express";
import request from "supertest";
import { createDashboardApp } from "./app";
import type { OperatorTokens } from "./auth/operator-access";
import { createDashboardMetrics } from "./dashboard-metrics";
import { listen } from "@wh/http";

/**
 * The internal API over HTTP against the shared Postgres, on users of its own; the clock sits in
 * a year of its own so the periods it counts in are its own as well.
 */
const TOKEN = "test-internal-token-0123456789abcdef";
const ROTATED = "test-internal-token-rotated-fedcba9876";
const VIEWER = "test-viewer-token-0123456789abcdef-0123";
const ADMIN = "test-admin-token-0123456789abcdef-01234";
const YEAR = 2200 + Math.floor(Math.random() * 7000);
const NOW = new Date(Date.UTC(YEAR, 2, 10, 12));
const STARTER_SEARCHES = PLANS.starter.monthlyLimits.searches;

let prisma: PrismaClient;
let redis: RedisConnection;
let webhookQueues: WebhookQueues;
let maintenanceQueue: Queue;
let app: Express;
const userIds: string[] = [];

function dashboard(options: { client?: PrismaClient; timeoutMs?: number; operatorTokens?: OperatorTokens } = {}): Express {
  return createDashboardApp({
    validator: new PlanValidator({ prisma: options.client ?? prisma, timeoutMs: options.timeoutMs ?? 20_000, clock: () => NOW }),
    prisma: options.client ?? prisma,
    replay: { queues: webhookQueues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
    serviceTokens: [TOKEN, ROTATED],
    operatorTokens: options.operatorTokens ?? { viewer: [VIEWER], admin: [ADMIN] },
    publicOrigin: undefined,
    trustProxy: false,
    boardQueues: { webhooks: allWebhookQueues(webhookQueues), maintenance: maintenanceQueue },
    metrics: createDashboardMetrics(),
    log: createLogger({ name: "dashboard-test", level: "silent" }),
    isReady: async () => {
      await (options.client ?? prisma).$queryRaw`SELECT 1`;
      return true;
    },
  });
}

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 20 });
  redis = createProducerConnection(testServers().redisUrl);
  const prefix = uniqueQueuePrefix();
  webhookQueues = createWebhookQueues(redis, prefix);
  maintenanceQueue = createMaintenanceQueue(redis, prefix);
  app = dashboard();
});

afterAll(async () => {
  await prisma.usageIdempotencyKey.deleteMany({ where: { userId: { in: userIds } } });
  await prisma.user.deleteMany({ where: { id: { in: userIds } } });
  await prisma.usagePeriod.deleteMany({
    where: { periodStart: { gte: new Date(Date.UTC(YEAR, 0, 1)), lt: new Date(Date.UTC(YEAR + 1, 0, 1)) } },
  });
  await Promise.all([...allWebhookQueues(webhookQueues), maintenanceQueue].map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(webhookQueues);
  await maintenanceQueue.close();
  await redis.quit();
  await prisma.$disconnect();
});

async function user(plan: string | null, deleted = false): Promise<{ id: string; clerkUserId: string }> {
  const created = await prisma.user.create({
    data: { clerkUserId: uniqueId("user"), currentPlan: plan, deletedAt: deleted ? new Date() : null },
    select: { id: true, clerkUserId: true },
  });
  userIds.push(created.id);
  return created;
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const postUsage = (body: unknown, headers: Record<string, string> = {}) =>
  request(app).post("/v1/usage").set(auth).set(headers).send(body as object);

const counter = async (userId: string, metric = "searches") =>
  (await prisma.usageCounter.findFirst({ where: { userId, metric } }))?.used ?? 0;

describe("authentication", () => {
  it("refuses the API without a token, with a wrong one, or with Basic auth", async () => {
    const { clerkUserId } = await user("starter");
    const path = `/v1/entitlements/${clerkUserId}`;

    const none = await request(app).get(path);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(none.body).toEqual({ error: "unauthorized" });
    expect((await request(app).get(path).set("Authorization", `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await request(app).get(path).set("Authorization", "Bearer")).status).toBe(401);
    expect((await request(app).get(path).set("Authorization", TOKEN)).status).toBe(401);
    const basic = Buffer.from(`ops:${TOKEN}`).toString("base64");
    expect((await request(app).get(path).set("Authorization", `Basic ${basic}`)).status).toBe(401);
    expect((await request(app).post("/v1/usage").send({ clerkUserId, metric: "searches" })).status).toBe(401);
    expect(await counter((await prisma.user.findUniqueOrThrow({ where: { clerkUserId } })).id)).toBe(0);
  });

  it("accepts every configured token (rotation)", async () => {
    const { clerkUserId } = await user("starter");
    for (const token of [TOKEN, ROTATED]) {
      const response = await request(app).get(`/v1/entitlements/${clerkUserId}`).set("Authorization", `bearer ${token}`);
      expect(response.status).toBe(200);
    }
  });

  it("keeps health checks and metrics open, for probes and Prometheus", async () => {
    expect((await request(app).get("/healthz")).body).toEqual({ status: "ok" });
    expect((await request(app).get("/readyz")).status).toBe(200);
    expect((await request(app).get("/metrics")).text).toContain("internal_api_decisions_total");
  });

  it("opens /v1 to the service token only, never to an operator's", async () => {
    const { clerkUserId } = await user("starter");
    for (const token of [VIEWER, ADMIN]) {
      expect((await request(app).get(`/v1/entitlements/${clerkUserId}`).set("Authorization", `Bearer ${token}`)).status).toBe(401);
    }
  });

  it("puts Bull Board behind the operator tokens, with Basic auth for browsers; the service token is not one", async () => {
    const challenge = await request(app).get("/admin/queues");
    expect(challenge.status).toBe(401);
    expect(challenge.headers["www-authenticate"]).toMatch(/^Basic realm="operators"/);
    expect((await request(app).get("/admin/queues").auth("ops", "wrong-password")).status).toBe(401);
    expect((await request(app).get("/admin/queues").auth("ops", TOKEN)).status).toBe(401);
    expect((await request(app).get("/admin/queues/api/queues").set(auth)).status).toBe(401);

    for (const token of [VIEWER, ADMIN]) {
      const page = await request(app).get("/admin/queues").auth("ops", token);
      expect(page.status).toBe(200);
      expect(page.text).toContain("<html");
      const queues = await request(app).get("/admin/queues/api/queues").set("Authorization", `Bearer ${token}`);
      expect(queues.status).toBe(200);
      expect((queues.body as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort()).toEqual([
        "maintenance",
        "webhooks-clerk",
        "webhooks-stripe",
      ]);
    }
  });

  it("answers 404 under /admin when no operator role has a token", async () => {
    const closed = dashboard({ operatorTokens: { viewer: [], admin: [] } });
    expect((await request(closed).get("/admin/queues")).status).toBe(404);
    expect((await request(closed).get("/admin/queues/api/queues").auth("ops", ADMIN)).status).toBe(404);
    expect((await request(closed).put("/admin/queues/api/queues/pause").auth("ops", TOKEN)).status).toBe(404);
  });

  it("lists the maintenance job schedulers in Bull Board", async () => {
    await upsertMaintenanceSchedulers(maintenanceQueue, {
      usageResetPattern: DEFAULT_USAGE_RESET_PATTERN,
      ledgerCleanupPattern: DEFAULT_LEDGER_CLEANUP_PATTERN,
      deferredSweepPattern: DEFAULT_DEFERRED_SWEEP_PATTERN,
    });

    const response = await request(app).get("/admin/queues/api/job-schedulers").auth("ops", VIEWER);

    expect(response.status).toBe(200);
    const schedulers = (response.body as { schedulers: { queueName: string; id: string; pattern: string; tz: string }[] }).schedulers;
    expect(schedulers.map(({ queueName, id, pattern, tz }) => [queueName, id, pattern, tz]).sort()).toEqual([
      ["maintenance", "deferred-events-sweep", "*/15 * * * *", "UTC"],
      ["maintenance", "ledger-cleanup", "30 3 * * *", "UTC"],
      ["maintenance", "usage-monthly-reset", "0 0 1 * *", "UTC"],
    ]);
  });
});

describe("GET /v1/entitlements/:clerkUserId", () => {
  it("answers plan, limits, usage this period and what remains", async () => {
    const { clerkUserId } = await user("pro");
    await postUsage({ clerkUserId, metric: "exports", amount: 3 });

    const response = await request(app).get(`/v1/entitlements/${clerkUserId}`).set(auth);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      clerkUserId,
      plan: "pro",
      planStatus: "active",
      period: { start: new Date(Date.UTC(YEAR, 2, 1)).toISOString(), end: new Date(Date.UTC(YEAR, 3, 1)).toISOString() },
      metrics: {
        searches: { limit: PLANS.pro.monthlyLimits.searches, used: 0, remaining: PLANS.pro.monthlyLimits.searches },
        exports: { limit: PLANS.pro.monthlyLimits.exports, used: 3, remaining: PLANS.pro.monthlyLimits.exports - 3 },
      },
      holdingCaps: { lists: PLANS.pro.holdingCaps.lists },
    });
  });

  it("answers zero limits without a plan, 403 for a deleted user, 404 for an unknown one, 400 for a malformed id", async () => {
    const none = await user(null);
    const deleted = await user("pro", true);
    const noPlan = await request(app).get(`/v1/entitlements/${none.clerkUserId}`).set(auth);
    expect(noPlan.status).toBe(200);
    expect(noPlan.body).toMatchObject({ plan: null, planStatus: "no_plan", metrics: { searches: { limit: 0, remaining: 0 } } });
    expect((await request(app).get(`/v1/entitlements/${deleted.clerkUserId}`).set(auth)).body).toEqual({ error: "user_deleted" });
    expect((await request(app).get(`/v1/entitlements/${deleted.clerkUserId}`).set(auth)).status).toBe(403);
    const unknown = await request(app).get(`/v1/entitlements/${uniqueId("user")}`).set(auth);
    expect([unknown.status, unknown.body]).toEqual([404, { error: "unknown_user" }]);
    const malformed = await request(app).get(`/v1/entitlements/${encodeURIComponent("user 1; drop")}`).set(auth);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: "invalid_request" });
  });
});

describe("POST /v1/usage", () => {
  it("answers 200 with the new usage, then 402 once the limit is reached, counting nothing more", async () => {
    const { clerkUserId, id } = await user("starter");
    const limit = PLANS.starter.monthlyLimits.exports;

    const first = await postUsage({ clerkUserId, metric: "exports", amount: limit - 1 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      clerkUserId,
      metric: "exports",
      amount: limit - 1,
      plan: "starter",
      period: { start: new Date(Date.UTC(YEAR, 2, 1)).toISOString(), end: new Date(Date.UTC(YEAR, 3, 1)).toISOString() },
      used: limit - 1,
      limit,
      remaining: 1,
    });
    const tooMuch = await postUsage({ clerkUserId, metric: "exports", amount: 2 });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body).toMatchObject({ error: "limit_reached", used: limit - 1, remaining: 1 });
    expect((await postUsage({ clerkUserId, metric: "exports" })).body).toMatchObject({ used: limit, remaining: 0 });
    expect((await postUsage({ clerkUserId, metric: "exports" })).status).toBe(402);
    expect(await counter(id, "exports")).toBe(limit);
  });

  it.each([
    ["no plan", null, false, "no_plan"],
    ["a deleted user", "starter", true, "user_deleted"],
    ["an unknown plan", "legacy_gold", false, "unknown_plan"],
  ] as const)("answers 403 for %s and counts nothing", async (_label, plan, deleted, error) => {
    const { clerkUserId, id } = await user(plan, deleted);
    const response = await postUsage({ clerkUserId, metric: "searches" });
    expect([response.status, response.body]).toEqual([403, { error }]);
    expect(await counter(id)).toBe(0);
  });

  it("answers 404 for an unknown user", async () => {
    const response = await postUsage({ clerkUserId: uniqueId("user"), metric: "searches" });
    expect([response.status, response.body]).toEqual([404, { error: "unknown_user" }]);
  });

  it("grants exactly the limit to 200 concurrent requests over HTTP", async () => {
    const { clerkUserId, id } = await user("starter");
    const server: Server = await listen(app, await freePort(), "127.0.0.1");
    try {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/v1/usage`;
      const statuses = await Promise.all(
        Array.from({ length: 2 * STARTER_SEARCHES }, async () => {
          const response = await fetch(url, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ clerkUserId, metric: "searches" }),
          });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(STARTER_SEARCHES);
      expect(statuses.filter((status) => status === 402)).toHaveLength(STARTER_SEARCHES);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await counter(id)).toBe(STARTER_SEARCHES);
  });

  describe("refuses bad input with 400 (or 413/415) before counting", () => {
    let clerkUserId: string;
    let id: string;

    beforeAll(async () => {
      ({ clerkUserId, id } = await user("business"));
    });

    afterAll(async () => {
      expect(await counter(id)).toBe(0);
    });

    it.each([
      ["no body", undefined],
      ["a missing metric", { clerkUserId: "user_x" }],
      ["an unknown metric", { clerkUserId: "user_x", metric: "lists" }],
      ["a zero amount", { metric: "searches", amount: 0 }],
      ["a negative amount", { metric: "searches", amount: -3 }],
      ["a fractional amount", { metric: "searches", amount: 1.5 }],
      ["an amount as a string", { metric: "searches", amount: "5" }],
      ["a huge amount", { metric: "searches", amount: 1e12 }],
      ["an unknown field", { metric: "searches", note: "x" }],
      ["a non-string user id", { clerkUserId: 42, metric: "searches" }],
      ["an array", [1, 2]],
    ])("%s", async (_label, body) => {
      const payload = body && !Array.isArray(body) && !("clerkUserId" in body) ? { clerkUserId, ...body } : body;
      const response = await request(app).post("/v1/usage").set(auth).set("content-type", "application/json").send(JSON.stringify(payload ?? null));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/invalid_request|malformed JSON/);
    });

    it("malformed JSON", async () => {
      const response = await request(app).post("/v1/usage").set(auth).set("content-type", "application/json").send('{"clerkUserId": ');
      expect([response.status, response.body]).toEqual([400, { error: "malformed JSON" }]);
    });

    it("a body that is not JSON (415) and a body too large (413)", async () => {
      expect((await request(app).post("/v1/usage").set(auth).set("content-type", "text/plain").send("searches")).status).toBe(415);
      const large = { clerkUserId, metric: "searches", padding: "x".repeat(20_000) };
      expect((await postUsage(large)).status).toBe(413);
    });

    it("a malformed Idempotency-Key", async () => {
      for (const key of ["x".repeat(256), "has space", "é"]) {
        const response = await postUsage({ clerkUserId, metric: "searches" }, { "Idempotency-Key": key });
        expect(response.status).toBe(400);
      }
    });

    it("lists every problem by field", async () => {
      const response = await postUsage({ clerkUserId: "", metric: "nope", amount: 0 });
      expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(["amount", "clerkUserId", "metric"]);
    });
  });
});

describe("Idempotency-Key on POST /v1/usage", () => {
  it("answers a retry with the original response and counts once", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("key");
    const first = await postUsage({ clerkUserId, metric: "searches", amount: 2 }, { "Idempotency-Key": key });
    await postUsage({ clerkUserId, metric: "searches" });
    const retry = await postUsage({ clerkUserId, metric: "searches", amount: 2 }, { "Idempotency-Key": key });

    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(retry.status).toBe(200);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await counter(id)).toBe(3);
  });

  it("treats an omitted amount and amount 1 as the same request", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("key");
    await postUsage({ clerkUserId, metric: "searches" }, { "Idempotency-Key": key });
    const retry = await postUsage({ clerkUserId, metric: "searches", amount: 1 }, { "Idempotency-Key": key });
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(await counter(id)).toBe(1);
  });

  it("answers 422 for the same key with a different body, counting nothing", async () => {
    const { clerkUserId, id } = await user("starter");
    const key = uniqueId("key");
    await postUsage({ clerkUserId, metric: "searches", amount: 2 }, { "Idempotency-Key": key });
    const reused = await postUsage({ clerkUserId, metric: "searches", amount: 5 }, { "Idempotency-Key": key });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: "idempotency_key_reused" });
    expect(await counter(id)).toBe(2);
  });

  it("scopes the key to the user", async () => {
    const a = await user("starter");
    const b = await user("starter");
    const key = uniqueId("key");
    await postUsage({ clerkUserId: a.clerkUserId, metric: "searches", amount: 2 }, { "Idempotency-Key": key });
    const other = await postUsage({ clerkUserId: b.clerkUserId, metric: "searches", amount: 7 }, { "Idempotency-Key": key });
    expect(other.status).toBe(200);
    expect(other.headers["idempotent-replayed"]).toBeUndefined();
    expect(await counter(b.id)).toBe(7);
  });

  it("replays a 402 as a 402", async () => {
    const { clerkUserId } = await user("starter");
    const key = uniqueId("key");
    await postUsage({ clerkUserId, metric: "exports", amount: PLANS.starter.monthlyLimits.exports });
    const refused = await postUsage({ clerkUserId, metric: "exports" }, { "Idempotency-Key": key });
    const again = await postUsage({ clerkUserId, metric: "exports" }, { "Idempotency-Key": key });
    expect([refused.status, again.status]).toEqual([402, 402]);
    expect(again.body).toEqual(refused.body);
    expect(again.headers["idempotent-replayed"]).toBe("true");
  });
});

describe("POST /v1/can-create", () => {
  it("allows below the plan's cap and answers 402 at it", async () => {
    const { clerkUserId } = await user("starter");
    const cap = PLANS.starter.holdingCaps.lists;
    const post = (held: number) => request(app).post("/v1/can-create").set(auth).send({ clerkUserId, resource: "lists", held });

    expect((await post(cap - 1)).body).toEqual({ allowed: true, plan: "starter", cap, held: cap - 1, remaining: 1 });
    const refused = await post(cap);
    expect([refused.status, refused.body]).toEqual([402, { allowed: false, error: "limit_reached", plan: "starter", cap, held: cap, remaining: 0 }]);
  });

  it("denies without a plan (403) and refuses bad input (400)", async () => {
    const { clerkUserId } = await user(null);
    const denied = await request(app).post("/v1/can-create").set(auth).send({ clerkUserId, resource: "lists", held: 0 });
    expect([denied.status, denied.body]).toEqual([403, { allowed: false, error: "no_plan" }]);
    const bad = await request(app).post("/v1/can-create").set(auth).send({ clerkUserId, resource: "folders", held: -1 });
    expect(bad.status).toBe(400);
  });
});

describe("when Postgres cannot answer", () => {
  let down: PrismaClient;
  let downApp: Express;

  beforeAll(async () => {
    const unreachable = new URL(testServers().databaseUrl);
    unreachable.port = String(await freePort());
    down = createPrismaClient({ databaseUrl: unreachable.toString(), poolMax: 2, connectionTimeoutMs: 1_000 });
    downApp = dashboard({ client: down, timeoutMs: 2_000 });
  });

  afterAll(async () => {
    await down.$disconnect();
  });

  it("denies with 503 and Retry-After: usage, entitlements, can-create; readiness fails", async () => {
    const clerkUserId = uniqueId("user");
    const usage = await request(downApp).post("/v1/usage").set(auth).send({ clerkUserId, metric: "searches" });
    expect([usage.status, usage.body, usage.headers["retry-after"]]).toEqual([503, { error: "unavailable" }, "1"]);
    const entitlements = await request(downApp).get(`/v1/entitlements/${clerkUserId}`).set(auth);
    expect([entitlements.status, entitlements.body]).toEqual([503, { error: "unavailable" }]);
    const canCreate = await request(downApp).post("/v1/can-create").set(auth).send({ clerkUserId, resource: "lists", held: 0 });
    expect([canCreate.status, canCreate.body]).toEqual([503, { allowed: false, error: "unavailable" }]);
    expect((await request(downApp).get("/readyz")).status).toBe(503);
    // Auth and validation still come first.
    expect((await request(downApp).post("/v1/usage").send({ clerkUserId, metric: "searches" })).status).toBe(401);
    expect((await request(downApp).post("/v1/usage").set(auth).send({ clerkUserId })).status).toBe(400);
  });
});
