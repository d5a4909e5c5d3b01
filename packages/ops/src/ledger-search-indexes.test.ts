import { createPrismaClient, type PrismaClient } from "@wh/db";
import { testServers } from "@wh/testkit";

/**
 * The admin search's queries use the ledger's search indexes. The shared test ledger may be
 * nearly empty, where a sequential scan is cheapest: sequential scans are disabled for the
 * EXPLAIN so the plan shows which index the query can use at all.
 */
let prisma: PrismaClient;

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
});
afterAll(async () => {
  await prisma.$disconnect();
});

async function plan(sql: string, value: string): Promise<string> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`, value);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

it.each([
  ["a Stripe customer", "stripe_customer_id", "webhook_events_stripe_customer_id_received_at_idx"],
  ["a user", "user_id", "webhook_events_user_id_received_at_idx"],
])("finds %s's events newest first through its index", async (_who, column, index) => {
  const value = column === "user_id" ? "00000000-0000-4000-8000-000000000000" : "cus_explain";
  const cast = column === "user_id" ? "::uuid" : "";
  const explained = await plan(
    `SELECT id FROM webhook_events WHERE ${column} = $1${cast} ORDER BY received_at DESC, id DESC LIMIT 51`,
    value,
  );
  expect(explained).toContain(index);
});
