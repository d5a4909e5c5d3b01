import { createHash, randomUUID } from "node:crypto";
import { PlanValidator } from "@wh/billing";
import { createLogger } from "@wh/core";
import { createPrismaClient, type EventStatus, type Prisma, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  checkJobSignature,
  closeWebhookQueues,
  createMaintenanceQueue,
  createProducerConnection,
  createWebhookQueues,
  DEFAULT_RETRY_POLICY,
  webhookJobId,
  webhookJobOptions,
  type WebhookQueues,
  type RedisConnection,
} from "@wh/queue";
import { stripeEvent, subscriptionObject, TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix } from "@wh/testkit";
import type { Queue } from "bullmq";
import type { Express } from "express";
import request from "supertest";
import { createDashboardApp } from "../app";
import { createDashboardMetrics } from "../dashboard-metrics";

/** /admin/api over HTTP on the shared Postgres and Redis, on ledger rows and queues of its own. */
const SERVICE = "test-internal-token-0123456789abcdef";
const VIEWER = "test-viewer-token-0123456789abcdef-0123";
const ADMIN = "test-admin-token-0123456789abcdef-01234";

let prisma: PrismaClient;
let redis: RedisConnection;
let queues: WebhookQueues;
let maintenance: Queue;
let app: Express;
const eventIds: string[] = [];
const clerkUserIds: string[] = [];

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 4 });
  redis = createProducerConnection(testServers().redisUrl);
  const prefix = uniqueQueuePrefix();
  queues = createWebhookQueues(redis, prefix);
  maintenance = createMaintenanceQueue(redis, prefix);
  app = createDashboardApp({
    validator: new PlanValidator({ prisma, timeoutMs: 5_000 }),
    prisma,
    replay: { queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), signingKeys: [TEST_JOB_SIGNING_KEY] },
    serviceTokens: [SERVICE],
    operatorTokens: { viewer: [VIEWER], admin: [ADMIN] },
    publicOrigin: undefined,
    trustProxy: false,
    boardQueues: { webhooks: allWebhookQueues(queues), maintenance },
    metrics: createDashboardMetrics(),
    log: createLogger({ name: "admin-api-test", level: "silent" }),
    isReady: async () => true,
  });
});

afterAll(async () => {
  await prisma.webhookEvent.deleteMany({ where: { eventId: { in: eventIds } } });
  await prisma.user.deleteMany({ where: { clerkUserId: { in: clerkUserIds } } });
  await Promise.all([...allWebhookQueues(queues), maintenance].map((queue) => queue.obliterate({ force: true })));
  await closeWebhookQueues(queues);
  await maintenance.close();
  await redis.quit();
  await prisma.$disconnect();
});

const basic = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}`;
const asViewer = (path: string) => request(app).get(path).set("authorization", `Bearer ${VIEWER}`);
const replayAs = (token: string, body: unknown, user = "alice") =>
  request(app).post("/admin/api/replays").set("authorization", basic(user, token)).set("content-type", "application/json").send(JSON.stringify(body));

interface Row {
  eventId: string;
  customerId: string;
  receivedAt: Date;
}

/** A dead `customer.subscription.updated` of `customerId` in the ledger, as the worker's failure path writes it. */
async function deadRow(customerId: string, receivedAt: Date, extra: { status?: EventStatus; userId?: string } = {}): Promise<Row> {
  const subscriptionId = uniqueId("sub");
  const created = Math.floor(receivedAt.getTime() / 1000) - 1;
  const payload = stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created });
  const eventId = payload.id as string;
  eventIds.push(eventId);
  await prisma.webhookEvent.create({
    data: {
      provider: "stripe",
      eventId,
      type: "customer.subscription.updated",
      status: extra.status ?? "dead",
      attempts: 3,
      lastError: "Error: boom",
      objectId: subscriptionId,
      stripeCustomerId: customerId,
      userId: extra.userId,
      eventCreatedAt: new Date(created * 1000),
      receivedAt,
      payload: payload as Prisma.InputJsonObject,
    },
  });
  return { eventId, customerId, receivedAt };
}

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("who may use /admin/api", () => {
  it("refuses no token and the service token, lets viewers read, and keeps replays for admins", async () => {
    const customerId = uniqueId("cus");
    await deadRow(customerId, secondsAgo(60));
    const path = `/admin/api/events?customerId=${customerId}`;

    expect((await request(app).get(path)).status).toBe(401);
    expect((await request(app).get(path).set("authorization", `Bearer ${SERVICE}`)).status).toBe(401);
    expect((await asViewer(path)).status).toBe(200);
    expect((await request(app).get(path).set("authorization", basic("bob", ADMIN))).status).toBe(200);
    expect((await asViewer(`/admin/api/replays/preview?customerId=${customerId}`)).status).toBe(200);

    expect((await replayAs(SERVICE, { filter: { customerId }, dryRun: true })).status).toBe(401);
    expect((await replayAs(VIEWER, { filter: { customerId }, dryRun: true })).status).toBe(403);
    expect((await replayAs(ADMIN, { filter: { customerId }, dryRun: true })).status).toBe(200);
  });

  it("refuses a replay another site's page started (CSRF)", async () => {
    const response = await replayAs(ADMIN, { filter: { customerId: uniqueId("cus") }, dryRun: true }).set("sec-fetch-site", "cross-site");
    expect(response.status).toBe(403);
  });
});

describe("validation", () => {
  it.each([
    ["an unknown status", "status=dead,nope", /status/],
    ["an unknown provider", "provider=paypal", /provider: must be one of stripe, clerk/],
    ["a local time", "since=2026-11-01T10:00:00", /since: must be a date/],
    ["since after until", "since=2026-11-02&until=2026-11-01", /until: must be later than since/],
    ["an id with other characters", "customerId=cus%20x;drop", /customerId: must be an id/],
    ["a forged cursor", "cursor=bm90LWEtY3Vyc29y", /cursor: is not a cursor this API returned/],
    ["a limit too large", "limit=5000", /limit: must be at most 200/],
    ["an unknown parameter", "customer=cus_1", /Unrecognized key/],
  ])("answers 400 naming the field for %s", async (_name, query, message) => {
    const response = await asViewer(`/admin/api/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid request");
    expect(response.body.issues.join("; ")).toMatch(message);
  });

  it("answers 400 for a replay body without dryRun or with an unknown filter key, 415 for a form", async () => {
    expect((await replayAs(ADMIN, { filter: { customerId: "cus_1" } })).body.issues).toEqual(["dryRun: must be true or false"]);
    expect((await replayAs(ADMIN, { filter: { customer: "cus_1" }, dryRun: true })).status).toBe(400);
    const form = await request(app).post("/admin/api/replays").set("authorization", basic("a", ADMIN)).type("form").send("dryRun=false");
    expect(form.status).toBe(415);
  });
});

describe("search", () => {
  it("pages one customer's events newest first with a cursor, none repeated or skipped", async () => {
    const customerId = uniqueId("cus");
    const rows: Row[] = [];
    for (let i = 0; i < 5; i += 1) rows.push(await deadRow(customerId, secondsAgo(600 - i * 10)));
    await deadRow(uniqueId("cus"), secondsAgo(300));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await asViewer(`/admin/api/events?customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      seen.push(...response.body.events.map((event: { eventId: string }) => event.eventId));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual(rows.map((row) => row.eventId).reverse());
  });

  it("finds a user's events by our user id and by their Clerk id", async () => {
    const clerkUserId = uniqueId("user");
    clerkUserIds.push(clerkUserId);
    const user = await prisma.user.create({ data: { clerkUserId } });
    const row = await deadRow(uniqueId("cus"), secondsAgo(30), { userId: user.id });

    for (const id of [user.id, clerkUserId]) {
      const response = await asViewer(`/admin/api/events?userId=${id}`);
      expect(response.body.events.map((event: { eventId: string }) => event.eventId)).toEqual([row.eventId]);
    }
    expect((await asViewer(`/admin/api/events?userId=${uniqueId("user")}`)).body.events).toEqual([]);
    expect((await asViewer(`/admin/api/events?userId=${randomUUID()}`)).body.events).toEqual([]);
  });

  it("shows one delivery with its stored payload, attempts, last error and BullMQ job", async () => {
    const row = await deadRow(uniqueId("cus"), secondsAgo(20));
    const response = await asViewer(`/admin/api/events/stripe/${row.eventId}`);
    expect(response.status).toBe(200);
    expect(response.body.event).toMatchObject({
      eventId: row.eventId,
      status: "dead",
      attempts: 3,
      lastError: "Error: boom",
      customerId: row.customerId,
      payload: { id: row.eventId, type: "customer.subscription.updated" },
    });
    expect(response.body.jobs).toEqual([]);
    expect((await asViewer(`/admin/api/events/stripe/${uniqueId("evt")}`)).status).toBe(404);
    expect((await asViewer(`/admin/api/events/paypal/${row.eventId}`)).status).toBe(400);
  });
});

describe("replays", () => {
  it("previews how many and which, changing nothing", async () => {
    const customerId = uniqueId("cus");
    const dead = await deadRow(customerId, secondsAgo(50));
    await deadRow(customerId, secondsAgo(40), { status: "completed" });

    const response = await asViewer(`/admin/api/replays/preview?customerId=${customerId}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ matching: 1, tally: { selected: 1, reAdded: 1 } });
    expect(response.body.events).toEqual([expect.objectContaining({ outcome: "re-added", event: expect.objectContaining({ eventId: dead.eventId }) })]);
    expect(await queues.stripe.getJob(webhookJobId("stripe", dead.eventId))).toBeUndefined();
  });

  it("re-adds a signed job as an admin and writes who did it to the audit table", async () => {
    const customerId = uniqueId("cus");
    const dead = await deadRow(customerId, secondsAgo(45));

    const response = await replayAs(ADMIN, { filter: { customerId, status: "dead" }, dryRun: false }, "alice");
    expect(response.status).toBe(200);
    expect(response.body.tally).toMatchObject({ selected: 1, reAdded: 1, errors: 0 });
    const jobId = response.body.events[0].jobId as string;
    const job = await queues.stripe.getJob(jobId);
    expect(job?.data).toMatchObject({ provider: "stripe", eventId: dead.eventId });
    expect(checkJobSignature(job!.data, [TEST_JOB_SIGNING_KEY])).toEqual({ ok: true });

    const audit = await prisma.replayAudit.findUniqueOrThrow({ where: { id: BigInt(response.body.auditId) } });
    expect(audit).toMatchObject({
      role: "admin",
      tokenFingerprint: createHash("sha256").update(ADMIN).digest("hex").slice(0, 8),
      claimedUser: "alice",
      filter: { customerId, status: ["dead"], limit: 100 },
      dryRun: false,
      selected: 1,
    });
    expect(JSON.stringify({ ...audit, id: audit.id.toString() })).not.toContain(ADMIN);

    // The same replay again: the job is waiting, nothing is added twice.
    const again = await replayAs(ADMIN, { filter: { customerId }, dryRun: false });
    expect(again.body.tally).toMatchObject({ selected: 1, alreadyQueued: 1, reAdded: 0 });
    const detail = await asViewer(`/admin/api/events/stripe/${dead.eventId}`);
    expect(detail.body.jobs).toEqual([expect.objectContaining({ jobId, state: "waiting", attemptsMade: 0 })]);
  });
});

describe("the /admin page", () => {
  const pageAs = (token: string, path: string) => request(app).get(path).set("authorization", basic("carol", token));

  it("is served under a CSP that allows no script and no inline style, and links to Bull Board", async () => {
    const response = await pageAs(VIEWER, "/admin");
    expect(response.status).toBe(200);
    expect(response.type).toBe("text/html");
    const csp = response.headers["content-security-policy"] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(response.text).toContain('href="/admin/queues"');
    expect(response.text).not.toMatch(/<script|style=/);
  });

  it("escapes what the operator typed and names the bad field", async () => {
    const response = await pageAs(VIEWER, `/admin?customerId=${encodeURIComponent('"><script>x</script>')}`);
    expect(response.status).toBe(400);
    expect(response.text).not.toContain("<script>x</script>");
    expect(response.text).toContain("&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
    expect(response.text).toContain("customerId: must be an id");
  });

  it("lists a customer's events and replays only for an admin, from our own origin", async () => {
    const customerId = uniqueId("cus");
    const dead = await deadRow(customerId, secondsAgo(35));
    expect((await pageAs(VIEWER, `/admin?customerId=${customerId}`)).text).toContain(`/admin/events/stripe/${dead.eventId}`);
    expect((await pageAs(VIEWER, `/admin/replay?customerId=${customerId}`)).text).toContain("would re-add");

    const post = (token: string) =>
      request(app).post("/admin/replay").set("authorization", basic("carol", token)).type("form").send(`customerId=${customerId}&limit=100`);
    expect((await post(VIEWER)).status).toBe(403);
    expect((await post(ADMIN).set("sec-fetch-site", "cross-site")).status).toBe(403);
    const done = await post(ADMIN);
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/re-added 1/);
    expect(await queues.stripe.getJob(`${webhookJobId("stripe", dead.eventId)}_replay_1`)).toBeDefined();
  });
});
