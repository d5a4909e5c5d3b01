import { PlanValidator } from "@wh/billing";
import { createLogger } from "@wh/core";
import { createMigratedDatabase, type MigratedDatabase } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createMaintenanceQueue,
  createProducerConnection,
  createWebhookQueues,
  MAINTENANCE_QUEUE_NAME,
  WEBHOOK_QUEUE_NAMES,
  type WebhookQueues,
} from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueId, uniqueQueuePrefix, waitFor } from "@wh/testkit";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import request from "supertest";
import { createDashboardApp } from "./app";
import { createDashboardMetrics, type DashboardMetrics } from "./dashboard-metrics";
import { startMetricsSampler, type MetricsSampler, type MetricsSamplerDependencies } from "./metrics-sampler";

/**
 * The dashboard's sampled gauges, scraped from its /metrics, over real Redis queues (a prefix of
 * their own) and a database of its own (the deferred age is global to the ledger).
 */
const DAY = 86_400;
const STRIPE = WEBHOOK_QUEUE_NAMES.stripe;
const CLERK = WEBHOOK_QUEUE_NAMES.clerk;

interface Setup {
  deps: MetricsSamplerDependencies;
  database: MigratedDatabase;
  queues: Queue[];
  webhookQueues: WebhookQueues;
  logLines: string[];
  close(): Promise<void>;
}

let setups: Setup[] = [];
let samplers: MetricsSampler[] = [];

afterEach(async () => {
  await Promise.all(samplers.map((sampler) => sampler.stop()));
  await Promise.all(setups.map((setup) => setup.close()));
  samplers = [];
  setups = [];
});

async function setUp(): Promise<Setup> {
  const database = await createMigratedDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_dashboard_metrics", poolMax: 2 });
  const redis = createProducerConnection(testServers().redisUrl);
  const prefix = uniqueQueuePrefix();
  const webhookQueues = createWebhookQueues(redis, prefix);
  const maintenanceQueue = createMaintenanceQueue(redis, prefix);
  const queues: Queue[] = [...allWebhookQueues(webhookQueues), maintenanceQueue];
  await Promise.all(queues.map((queue) => queue.waitUntilReady()));
  const logLines: string[] = [];
  const log = createLogger({ name: "metrics-sampler-test", level: "warn", destination: { write: (line: string) => void logLines.push(line) } });
  const setup: Setup = {
    deps: { queues, redis, prisma: database.prisma, metrics: createDashboardMetrics(), log },
    database,
    queues,
    webhookQueues,
    logLines,
    async close() {
      if (redis.status === "ready") await Promise.all(queues.map((queue) => queue.obliterate({ force: true })));
      await closeWebhookQueues(webhookQueues);
      await maintenanceQueue.close();
      redis.disconnect();
      await database.prisma.$disconnect();
      await database.drop();
    },
  };
  setups.push(setup);
  return setup;
}

function start(setup: Setup, intervalMs: number): MetricsSampler {
  const sampler = startMetricsSampler(setup.deps, intervalMs);
  samplers.push(sampler);
  return sampler;
}

/** GET /metrics of a dashboard app on these metrics, as Prometheus scrapes it. */
async function scrape(setup: Setup): Promise<string> {
  const app = createDashboardApp({
    validator: new PlanValidator({ prisma: setup.database.prisma, timeoutMs: 5_000 }),
    prisma: setup.database.prisma,
    replay: { queues: setup.webhookQueues, jobOptions: {}, signingKeys: [TEST_JOB_SIGNING_KEY] },
    serviceTokens: ["metrics-test-service-token-0123456789abcdef"],
    operatorTokens: { viewer: [], admin: [] },
    publicOrigin: undefined,
    trustProxy: false,
    boardQueues: { webhooks: setup.queues.slice(0, 2), maintenance: setup.queues[2]! },
    metrics: setup.deps.metrics,
    log: setup.deps.log,
    isReady: async () => true,
  });
  const response = await request(app).get("/metrics");
  expect(response.status).toBe(200);
  return response.text;
}

/** The value of one series in a scrape; undefined when the series is absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const jobs = (queue: string, state: string) => `webhook_queue_jobs{queue="${queue}",state="${state}"}`;
const oldest = (queue: string) => `webhook_queue_oldest_waiting_seconds{queue="${queue}"}`;

async function ledgerRow(setup: Setup, status: "deferred" | "completed", receivedSecondsAgo: number): Promise<void> {
  const receivedAt = new Date(Date.now() - receivedSecondsAgo * 1000);
  await setup.database.prisma.webhookEvent.create({
    data: { provider: "stripe", eventId: uniqueId("evt"), type: "invoice.paid", status, eventCreatedAt: receivedAt, receivedAt, payload: {} },
  });
}

it("exports jobs per queue and state, the oldest waiting job, Redis memory and the oldest deferred event", async () => {
  const setup = await setUp();
  const [stripe, clerk] = setup.queues;
  const tenMinutesAgo = Date.now() - 600_000;
  await stripe!.add("invoice.paid", {}, { jobId: "stripe_evt_old", timestamp: tenMinutesAgo });
  await stripe!.add("invoice.paid", {}, { jobId: "stripe_evt_new" });
  await stripe!.add("invoice.paid", {}, { jobId: "stripe_evt_delayed", delay: 3_600_000 });
  await stripe!.add("invoice.paid", {}, { jobId: "stripe_evt_prioritized", priority: 1 });
  // A paused queue's jobs wait all the same: no worker takes them.
  await clerk!.pause();
  await clerk!.add("user.created", {}, { jobId: "clerk_msg_paused" });
  await ledgerRow(setup, "deferred", 2 * DAY);
  await ledgerRow(setup, "deferred", DAY);
  await ledgerRow(setup, "completed", 3 * DAY);

  const before = await scrape(setup);
  expect(value(before, jobs(STRIPE, "waiting"))).toBeUndefined();
  await start(setup, 3_600_000).sample();
  const text = await scrape(setup);

  expect({
    waiting: value(text, jobs(STRIPE, "waiting")),
    active: value(text, jobs(STRIPE, "active")),
    delayed: value(text, jobs(STRIPE, "delayed")),
    prioritized: value(text, jobs(STRIPE, "prioritized")),
    failed: value(text, jobs(STRIPE, "failed")),
    completed: value(text, jobs(STRIPE, "completed")),
    clerkWaiting: value(text, jobs(CLERK, "waiting")),
    maintenanceWaiting: value(text, jobs(MAINTENANCE_QUEUE_NAME, "waiting")),
    maintenanceOldest: value(text, oldest(MAINTENANCE_QUEUE_NAME)),
  }).toEqual({ waiting: 2, active: 0, delayed: 1, prioritized: 1, failed: 0, completed: 0, clerkWaiting: 1, maintenanceWaiting: 0, maintenanceOldest: 0 });
  expect(value(text, oldest(STRIPE))).toBeGreaterThanOrEqual(600);
  expect(value(text, oldest(CLERK))).toBeGreaterThanOrEqual(0);

  const maxmemory = Number(((await setup.deps.redis.config("GET", "maxmemory")) as string[])[1]);
  expect(value(text, "redis_memory_max_bytes")).toBe(maxmemory);
  expect(value(text, "redis_memory_used_bytes")).toBeGreaterThan(0);

  // The older deferred row, not the older completed one.
  const deferred = value(text, "webhook_events_deferred_oldest_seconds")!;
  expect(deferred).toBeGreaterThanOrEqual(2 * DAY);
  expect(deferred).toBeLessThan(3 * DAY);
});

it("reports 0 for the oldest waiting job and the oldest deferred event when there are none", async () => {
  const setup = await setUp();
  await ledgerRow(setup, "completed", DAY);
  await start(setup, 3_600_000).sample();
  const text = await scrape(setup);
  expect(value(text, oldest(STRIPE))).toBe(0);
  expect(value(text, jobs(STRIPE, "waiting"))).toBe(0);
  expect(value(text, "webhook_events_deferred_oldest_seconds")).toBe(0);
});

it("keeps the last values and logs a warning per part when Redis and Postgres are gone", async () => {
  const setup = await setUp();
  await setup.queues[0]!.add("invoice.paid", {}, { jobId: "stripe_evt_kept" });
  await ledgerRow(setup, "deferred", DAY);
  const sampler = start(setup, 3_600_000);
  await sampler.sample();
  const sampled = await scrape(setup);

  setup.deps.redis.disconnect();
  await setup.database.drop();
  await sampler.sample();

  const after = await scrape(setup);
  for (const series of [jobs(STRIPE, "waiting"), oldest(STRIPE), "redis_memory_used_bytes", "redis_memory_max_bytes", "webhook_events_deferred_oldest_seconds"]) {
    expect({ series, value: value(after, series) }).toEqual({ series, value: value(sampled, series) });
  }
  expect(value(after, jobs(STRIPE, "waiting"))).toBe(1);
  const warnings = setup.logLines.map((line) => JSON.parse(line) as { msg: string; part: string });
  expect(warnings.filter((line) => line.msg === "metrics sample failed; keeping the last values").map((line) => line.part).sort()).toEqual([
    "deferred_events",
    "queues",
    "redis_memory",
  ]);
  await setup.deps.redis.connect();
});

it("samples by itself every interval until stopped", async () => {
  const setup = await setUp();
  const metrics: DashboardMetrics = setup.deps.metrics;
  await setup.queues[1]!.add("user.created", {}, { jobId: "clerk_msg_sampled" });
  const sampler = start(setup, 50);
  await waitFor("a timed sample", async () => value(await scrape(setup), jobs(CLERK, "waiting")) === 1);
  await setup.queues[1]!.add("user.created", {}, { jobId: "clerk_msg_sampled_later" });
  await waitFor("the next timed sample", async () => value(await scrape(setup), jobs(CLERK, "waiting")) === 2);
  await sampler.stop();
  await setup.queues[1]!.add("user.created", {}, { jobId: "clerk_msg_after_stop" });
  expect((await metrics.queueJobs.get()).values.find((sample) => sample.labels.queue === CLERK && sample.labels.state === "waiting")?.value).toBe(2);
});
