import { appRoutes } from "@bull-board/api/dist/routes.js";
import { PlanValidator } from "@wh/billing";
import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createMaintenanceQueue,
  createProducerConnection,
  createWebhookQueues,
  createWorkerConnection,
  DEFAULT_DEFERRED_SWEEP_PATTERN,
  DEFAULT_LEDGER_CLEANUP_PATTERN,
  DEFAULT_RETRY_POLICY,
  DEFAULT_USAGE_RESET_PATTERN,
  upsertMaintenanceSchedulers,
  WEBHOOK_QUEUE_NAMES,
  webhookJobOptions,
  type WebhookQueues,
  type RedisConnection,
} from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import { UnrecoverableError, Worker, type Queue } from "bullmq";
import type { Express } from "express";
import request from "supertest";
import { createDashboardApp } from "./app";
import { BULL_BOARD_PATH } from "./bull-board";
import { createDashboardMetrics } from "./dashboard-metrics";
import { WEBHOOK_QUEUE_EDIT_ROUTES } from "./webhook-queue-edit-guard";

/**
 * Bull Board behind the three credentials, over a real Redis. The write routes come from Bull
 * Board's own route table, so a route added by an upgrade is covered without editing this file.
 */
const SERVICE = "service-token-0123456789abcdef-01234567";
const VIEWER = "viewer-token-0123456789abcdef-0123456789";
const ADMIN = "admin-token-0123456789abcdef-0123456789ab";
const FORGED = { name: "forged", data: { plan: "business" }, jobData: { plan: "business" }, pattern: "* * * * * *" };

const WRITE_ROUTES = appRoutes.api.flatMap((route) =>
  [route.method]
    .flat()
    .filter((method) => method !== "get")
    .flatMap((method) => [route.route].flat().map((path) => ({ method, path }))),
);

let prisma: PrismaClient;
let redis: RedisConnection;
let prefix: string;
let webhookQueues: WebhookQueues;
let maintenanceQueue: Queue;
let app: Express;
let failedJobId: string;

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
  redis = createProducerConnection(testServers().redisUrl);
  prefix = uniqueQueuePrefix();
  webhookQueues = createWebhookQueues(redis, prefix);
  maintenanceQueue = createMaintenanceQueue(redis, prefix);
  await upsertMaintenanceSchedulers(maintenanceQueue, {
    usageResetPattern: DEFAULT_USAGE_RESET_PATTERN,
    ledgerCleanupPattern: DEFAULT_LEDGER_CLEANUP_PATTERN,
    deferredSweepPattern: DEFAULT_DEFERRED_SWEEP_PATTERN,
  });
  failedJobId = await failedStripeJob();
  app = createDashboardApp({
    validator: new PlanValidator({ prisma, timeoutMs: 5_000 }),
    prisma,
    replay: { queues: webhookQueues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
    serviceTokens: [SERVICE],
    operatorTokens: { viewer: [VIEWER], admin: [ADMIN] },
    publicOrigin: undefined,
    trustProxy: false,
    boardQueues: { webhooks: allWebhookQueues(webhookQueues), maintenance: maintenanceQueue },
    metrics: createDashboardMetrics(),
    log: createLogger({ name: "bull-board-test", level: "silent" }),
    isReady: async () => true,
  });
});

afterAll(async () => {
  await Promise.all([...allWebhookQueues(webhookQueues), maintenanceQueue].map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(webhookQueues);
  await maintenanceQueue.close();
  await redis.quit();
  await prisma.$disconnect();
});

const jobData = (eventId: string) => ({
  provider: "stripe" as const,
  eventId,
  type: "customer.subscription.updated",
  eventCreatedAt: 1_700_000_000,
  receivedAt: 1_700_000_000_000,
  payload: { plan: "starter" },
});

/** A Stripe webhook job that failed for good, through a throwaway worker. */
async function failedStripeJob(): Promise<string> {
  const jobId = uniqueId("stripe_evt");
  await webhookQueues.stripe.add("stripe", jobData(jobId), { jobId });
  const connection = createWorkerConnection(testServers().redisUrl);
  const worker = new Worker(
    WEBHOOK_QUEUE_NAMES.stripe,
    async () => {
      throw new UnrecoverableError("poison input");
    },
    { connection, prefix },
  );
  try {
    await waitFor(`job ${jobId} to fail`, async () => (await webhookQueues.stripe.getJobState(jobId)) === "failed");
  } finally {
    await worker.close();
    connection.disconnect();
  }
  return jobId;
}

/** A route of the table as a concrete URL on the given queue, with a job and a scheduler that exist. */
function urlOf(path: string, queueName: string): string {
  const url = path
    .replace(":queueName", encodeURIComponent(queueName))
    .replace(":jobId", failedJobId)
    .replace(":queueStatus", "failed")
    .replace(":schedulerId", "usage-monthly-reset");
  if (url.includes(":")) throw new Error(`route ${path} has a parameter this test does not fill in`);
  return `${BULL_BOARD_PATH}${url}`;
}

type Method = (typeof WRITE_ROUTES)[number]["method"];
const send = (method: Method, url: string, authorization?: string) => {
  const pending = request(app)[method](url).send(FORGED);
  return authorization ? pending.set("Authorization", authorization) : pending;
};

/** Every key of the test's queues with its serialised value: equal snapshots, nothing written. */
async function redisSnapshot(): Promise<Map<string, string>> {
  const keys = (await redis.keys(`${prefix}:*`)).sort();
  const values = await Promise.all(keys.map(async (key) => (await redis.dumpBuffer(key))?.toString("hex") ?? ""));
  return new Map(keys.map((key, index) => [key, values[index] ?? ""]));
}

const basic = (token: string) => `Basic ${Buffer.from(`ops:${token}`).toString("base64")}`;

describe("Bull Board's write routes, from its own route table", () => {
  it("reads the table: the usual write routes are there", () => {
    expect(WRITE_ROUTES.length).toBeGreaterThan(20);
    expect(WRITE_ROUTES).toEqual(expect.arrayContaining([{ method: "put", path: "/api/queues/:queueName/:jobId/retry" }]));
    expect(WEBHOOK_QUEUE_EDIT_ROUTES.map((route) => `${String(route.method)} ${String(route.route)}`).sort()).toEqual([
      "patch /api/queues/:queueName/:jobId/update-data",
      "patch /api/queues/:queueName/job-schedulers/:schedulerId",
      "post /api/queues/:queueName/add",
    ]);
  });

  it.each([
    ["no credential", undefined, 401],
    ["the service token as a bearer", `Bearer ${SERVICE}`, 401],
    ["the service token as a Basic password", basic(SERVICE), 401],
    ["a viewer", `Bearer ${VIEWER}`, 403],
    ["a viewer through Basic auth", basic(VIEWER), 403],
  ])("refuses every write to %s, on every queue, and Redis is unchanged", async (_label, authorization, status) => {
    const before = await redisSnapshot();
    for (const { method, path } of WRITE_ROUTES) {
      for (const queueName of [WEBHOOK_QUEUE_NAMES.stripe, maintenanceQueue.name]) {
        const response = await send(method, urlOf(path, queueName), authorization);
        expect([method, path, queueName, response.status]).toEqual([method, path, queueName, status]);
      }
    }
    expect(await redisSnapshot()).toEqual(before);
    expect(await webhookQueues.stripe.getJobState(failedJobId)).toBe("failed");
  });

  it("refuses to an admin adding a job, editing a job's data and editing a scheduler on the webhook queues; Redis is unchanged", async () => {
    const before = await redisSnapshot();
    for (const route of WEBHOOK_QUEUE_EDIT_ROUTES) {
      for (const method of [route.method].flat()) {
        for (const queueName of Object.values(WEBHOOK_QUEUE_NAMES)) {
          const response = await send(method as Method, urlOf(String(route.route), queueName), basic(ADMIN));
          expect([method, route.route, queueName, response.status, response.body]).toEqual([
            method,
            route.route,
            queueName,
            403,
            { error: "webhook jobs cannot be added or edited" },
          ]);
        }
      }
    }
    expect(await redisSnapshot()).toEqual(before);
    expect((await webhookQueues.stripe.getJob(failedJobId))?.data).toEqual(jobData(failedJobId));
  });

  it("lets an admin's every other write reach Bull Board", async () => {
    const editRoutes = new Set(WEBHOOK_QUEUE_EDIT_ROUTES.map((route) => String(route.route)));
    for (const { method, path } of WRITE_ROUTES) {
      if (!path.includes(":queueName") || editRoutes.has(path)) continue;
      // On a queue the board does not know, with a body that fits no route: Bull Board's own
      // refusal (its validation, or its unknown queue) proves our guards let the request through.
      const response = await send(method, urlOf(path, "no-such-queue"), `Bearer ${ADMIN}`);
      const boardError = (response.body as { error?: { key?: unknown } }).error?.key;
      expect([method, path, [400, 404].includes(response.status), typeof boardError === "string" && boardError.startsWith("ERRORS.")]).toEqual([
        method,
        path,
        true,
        true,
      ]);
    }
  });

  it("lets an admin retry a failed webhook job, and pause and resume every queue", async () => {
    const retried = await request(app).put(urlOf("/api/queues/:queueName/:jobId/retry", WEBHOOK_QUEUE_NAMES.stripe)).auth("ops", ADMIN);
    expect(retried.status).toBe(204);
    expect(await webhookQueues.stripe.getJobState(failedJobId)).toBe("waiting");

    expect((await request(app).put(`${BULL_BOARD_PATH}/api/queues/pause`).set("Authorization", `Bearer ${ADMIN}`)).status).toBe(200);
    expect(await webhookQueues.clerk.isPaused()).toBe(true);
    expect((await request(app).put(`${BULL_BOARD_PATH}/api/queues/resume`).set("Authorization", `Bearer ${ADMIN}`)).status).toBe(200);
    expect(await webhookQueues.clerk.isPaused()).toBe(false);
  });

  it("keeps admin actions on the maintenance queue: an admin edits a scheduler there", async () => {
    const response = await request(app)
      .patch(urlOf("/api/queues/:queueName/job-schedulers/:schedulerId", maintenanceQueue.name))
      .auth("ops", ADMIN)
      .send({ pattern: "0 0 2 * *" });
    expect(response.status).toBe(204);
    expect((await maintenanceQueue.getJobScheduler("usage-monthly-reset"))?.pattern).toBe("0 0 2 * *");
  });

  it("shows the viewer a read-only board and the admin a writable one", async () => {
    const queuesAs = async (authorization: string) =>
      ((await request(app).get(`${BULL_BOARD_PATH}/api/queues`).set("Authorization", authorization)).body as {
        queues: { name: string; readOnlyMode: boolean }[];
      }).queues.map(({ name, readOnlyMode }) => [name, readOnlyMode]);
    expect((await queuesAs(basic(VIEWER))).sort()).toEqual([
      ["maintenance", true],
      ["webhooks-clerk", true],
      ["webhooks-stripe", true],
    ]);
    expect((await queuesAs(basic(ADMIN))).sort()).toEqual([
      ["maintenance", false],
      ["webhooks-clerk", false],
      ["webhooks-stripe", false],
    ]);
  });

  it("refuses an admin's write started by another site, and Redis is unchanged", async () => {
    const before = await redisSnapshot();
    const url = `${BULL_BOARD_PATH}/api/queues/pause`;
    expect((await request(app).put(url).auth("ops", ADMIN).set("Sec-Fetch-Site", "cross-site")).status).toBe(403);
    expect((await request(app).put(url).auth("ops", ADMIN).set("Origin", "http://evil.example")).status).toBe(403);
    expect(await redisSnapshot()).toEqual(before);
  });
});
