import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createWebhookQueues,
  createWorkerConnection,
  deleteQueueKeys,
  webhookQueueShards,
  type RedisConnection,
  type WebhookQueues,
} from "@wh/queue";
import {
  AppProcess,
  checkoutSession,
  clerkUserEvent,
  RedisClusterProcess,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  TEST_CLERK_SECRET,
  TEST_STRIPE_SECRET,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
  waitFor,
} from "@wh/testkit";
import { systemEnv } from "./system-env";

/**
 * The receiver and worker as real processes on a local 3-master Redis Cluster
 * (REDIS_URL=redis+cluster://…) with every provider queue split into 3 shards.
 */
const SHARDS = 3;
const CUSTOMERS = 24;
const VIEWER = "cluster-test-viewer-token-0123456789abcdef";

let cluster: RedisClusterProcess;
let receiver: AppProcess | undefined;
let worker: AppProcess | undefined;
let dashboard: AppProcess | undefined;
let prisma: PrismaClient;
let connection: RedisConnection;
let queues: WebhookQueues;
const prefix = uniqueQueuePrefix();

beforeAll(async () => {
  cluster = await RedisClusterProcess.start();
  // 2 providers × 3 shards × 2 jobs at once (+1) fit a pool of 13.
  const env = systemEnv({ REDIS_URL: cluster.url, QUEUE_PREFIX: prefix, WEBHOOK_QUEUE_SHARDS: String(SHARDS), WORKER_CONCURRENCY: "2", DATABASE_POOL_MAX: "13" });
  const dashboardEnv = { ...env, INTERNAL_API_TOKEN: "cluster-test-service-token-0123456789abcdef", DASHBOARD_VIEWER_TOKEN: VIEWER, QUEUE_METRICS_INTERVAL_MS: "300" };
  [receiver, worker, dashboard] = await Promise.all([
    AppProcess.start("receiver", env),
    AppProcess.start("worker", env),
    AppProcess.start("dashboard", dashboardEnv),
  ]);
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
  connection = createWorkerConnection(cluster.url);
  queues = createWebhookQueues(connection, prefix, SHARDS);
}, 60_000);

afterAll(async () => {
  await Promise.all([receiver?.stop(), worker?.stop(), dashboard?.stop()]);
  if (queues) await closeWebhookQueues(queues);
  connection?.disconnect();
  await prisma?.$disconnect();
  await cluster?.destroy();
});

async function postStripe(event: Record<string, unknown>): Promise<number> {
  const { body, headers } = signStripe(event, TEST_STRIPE_SECRET);
  return (await fetch(`${receiver!.url}/webhooks/stripe`, { method: "POST", body, headers })).status;
}

async function postClerk(event: Record<string, unknown>, msgId: string): Promise<number> {
  const { body, headers } = signClerk(event, TEST_CLERK_SECRET, { msgId });
  return (await fetch(`${receiver!.url}/webhooks/clerk`, { method: "POST", body, headers })).status;
}

const ledgerRows = (eventIds: string[]) => prisma.webhookEvent.findMany({ where: { eventId: { in: eventIds } } });

it("applies every customer's signup, checkout and subscription exactly once, duplicates included", async () => {
  const t0 = Math.floor(Date.now() / 1000) - 120;
  const customers = Array.from({ length: CUSTOMERS }, () => ({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus"), signupId: uniqueId("msg") }));
  const stripeEvents = customers.flatMap(({ clerkUserId, customerId }) => [
    stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: t0 }),
    stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" }), { created: t0 + 1 }),
  ]);
  const signups = await Promise.all(
    customers.map(({ clerkUserId, signupId }, i) => postClerk(clerkUserEvent("user.created", { id: clerkUserId, email: `cluster-${i}@example.com` }), signupId)),
  );
  // Every Stripe delivery three times at once: the duplicates meet their job id in the same shard.
  const deliveries = await Promise.all(stripeEvents.flatMap((event) => [postStripe(event), postStripe(event), postStripe(event)]));
  expect([...signups, ...deliveries].every((status) => status === 200)).toBe(true);

  const eventIds = [...customers.map((customer) => customer.signupId), ...stripeEvents.map((event) => event.id as string)];
  const rows = await waitFor(
    "every event settled",
    async () => {
      const found = await ledgerRows(eventIds);
      return found.length === eventIds.length && found.every((row) => row.status === "completed") ? found : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  expect(rows).toHaveLength(eventIds.length);
  expect(new Set(rows.map((row) => row.eventId)).size).toBe(eventIds.length);
  const users = await prisma.user.findMany({ where: { clerkUserId: { in: customers.map((customer) => customer.clerkUserId) } } });
  expect(users).toHaveLength(CUSTOMERS);
  expect(users.every((user) => user.currentPlan === "pro")).toBe(true);
  expect(await prisma.stripeCustomer.count({ where: { stripeCustomerId: { in: customers.map((customer) => customer.customerId) } } })).toBe(CUSTOMERS);

  // Each Stripe delivery, sent three times, left its job in exactly one queue of one shard.
  for (const event of stripeEvents) {
    const holders = await Promise.all(allWebhookQueues(queues).map(async (queue) => ((await queue.getJob(`stripe_${event.id as string}`)) ? queue.name : undefined)));
    expect(holders.filter(Boolean)).toHaveLength(1);
  }
});

it("places the shards on different masters, each holding its shard's jobs", async () => {
  const shards = webhookQueueShards(prefix, SHARDS);
  const masters = await Promise.all(
    shards.map(async (shard) => {
      const slot = Number(await cluster.command(cluster.ports[0]!, "CLUSTER", "KEYSLOT", `${shard.prefix}:${shard.names.stripe}:id`));
      return cluster.masterOfSlot(slot);
    }),
  );
  expect(new Set(masters).size).toBe(SHARDS);
  for (const [i, shard] of shards.entries()) {
    // A delivery's job of this shard, in Redis on the shard's master and on no other.
    const [job] = await queues.shards[i]!.stripe.getCompleted(0, 0);
    expect(job?.id).toMatch(/^stripe_evt_/);
    expect(await cluster.command(masters[i]!, "EXISTS", `${shard.prefix}:${shard.names.stripe}:${job!.id!}`)).toBe("1");
    for (const other of cluster.ports.filter((port) => port !== masters[i])) {
      expect(await cluster.command(other, "--scan", "--pattern", `${shard.prefix}:*`)).toBe("");
    }
  }
});

it("shows every shard's queues on Bull Board and in the dashboard's queue metrics", async () => {
  const names = webhookQueueShards(prefix, SHARDS).flatMap((shard) => [shard.names.stripe, shard.names.clerk]);
  const board = await fetch(`${dashboard!.url}/admin/queues/api/queues`, { headers: { Authorization: `Bearer ${VIEWER}` } });
  expect(board.status).toBe(200);
  expect(((await board.json()) as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort()).toEqual([...names, "maintenance"].sort());
  await waitFor("completed jobs of every shard in /metrics", async () => {
    const metrics = await (await fetch(`${dashboard!.url}/metrics`)).text();
    return names
      .filter((name) => name.startsWith("webhooks-stripe"))
      .every((name) => new RegExp(`webhook_queue_jobs\\{queue="${name}",state="completed"\\} [1-9]`).test(metrics));
  });
});

it("deletes every shard's keys from every master", async () => {
  await Promise.all([receiver?.stop(), worker?.stop(), dashboard?.stop()]);
  receiver = worker = dashboard = undefined;
  expect(await deleteQueueKeys(cluster.url, prefix, SHARDS)).toBeGreaterThan(0);
  const tag = prefix.slice(1, -1);
  for (const port of cluster.ports) expect(await cluster.command(port, "--scan", "--pattern", `{${tag}*`)).toBe("");
});

it("stops the receiver at start when one master may evict keys, naming that master", async () => {
  const evicting = cluster.ports[2]!;
  expect(await cluster.command(evicting, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru")).toBe("OK");
  const app = await AppProcess.launch("receiver", systemEnv({ REDIS_URL: cluster.url, QUEUE_PREFIX: prefix, WEBHOOK_QUEUE_SHARDS: String(SHARDS) }));
  try {
    expect(await app.exitCode()).toBe(1);
    expect(app.logs()).toContain('"maxmemoryPolicy":"allkeys-lru"');
    expect(app.logs()).toContain(`"server":"127.0.0.1:${evicting}"`);
  } finally {
    await app.stop();
    await cluster.command(evicting, "CONFIG", "SET", "maxmemory-policy", "noeviction");
  }
});
