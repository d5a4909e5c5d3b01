import { testServers, waitFor } from "@wh/testkit";
import { Registry } from "prom-client";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "./prisma-client";

const POOL_MAX = 2;
let registry: Registry;
let prisma: PrismaClient;

beforeEach(() => {
  registry = new Registry();
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: POOL_MAX, metrics: { registry, app: "test" } });
});
afterEach(async () => {
  await prisma.$disconnect();
});

async function connections(): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric("db_pool_connections")!.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.state), value.value]));
}

async function acquireCount(): Promise<number> {
  const text = await registry.getSingleMetricAsString("db_pool_acquire_seconds");
  return Number(/^db_pool_acquire_seconds_count\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

it("shows Prisma's queries queueing for the pool and every checkout's wait", async () => {
  const count = 3 * POOL_MAX;
  // Prisma's queries are lazy: Promise.all starts them.
  const queries = Promise.all(Array.from({ length: count }, () => prisma.$executeRaw`SELECT pg_sleep(0.3)`));
  const busy = await waitFor("queries waiting for a connection", async () => {
    const now = await connections();
    return now.waiting! > 0 && now;
  });
  expect(busy).toEqual({ in_use: POOL_MAX, idle: 0, waiting: expect.any(Number) });
  await queries;

  expect(await acquireCount()).toBeGreaterThanOrEqual(count);
  expect(await connections()).toEqual({ in_use: 0, idle: POOL_MAX, waiting: 0 });
});

it("labels the series with the app and keeps the pool of the Prisma client (no second pool)", async () => {
  await prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`);
  const text = await registry.metrics();
  expect(text).toContain('db_pool_connections{app="test",state="idle"} 1');
  expect(text).toMatch(/db_pool_acquire_seconds_count\{app="test"\} [1-9]/);
  // A client-side pool that Prisma ignored would leave the server-side count at 0 for our pool.
  const server = new pg.Client({ connectionString: testServers().databaseUrl });
  await server.connect();
  try {
    const { rows } = await server.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ''",
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1);
  } finally {
    await server.end();
  }
});
