import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { createClerkUsersClient, reconcileClerk } from "@wh/ops";
import { clerkApiUser, FIXTURE_EMAIL_DOMAIN, startFakeClerkApi, testServers, uniqueId, waitFor, type FakeClerkApi } from "@wh/testkit";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "../../test-support/test-webhook-workers";
import { createWorkerMetrics } from "../../worker-metrics";

/**
 * The Clerk reconciliation's synthetic `user.updated` jobs, applied by real webhook workers
 * (the shared test database, rows of unique ids): a user newer in Clerk than ours is brought up
 * to date once, a user we never heard of is created.
 */
let prisma: PrismaClient;
let system: TestWebhookWorkers;
let clerkApi: FakeClerkApi;

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 6 });
});
afterAll(async () => {
  await prisma.$disconnect();
});
beforeEach(async () => {
  system = await startTestWebhookWorkers({
    prisma,
    log: createLogger({ name: "clerk-reconcile-test", level: "silent" }),
    metrics: createWorkerMetrics(),
    retryPolicy: { attempts: 3, backoffMs: 50, keepCompletedSeconds: 600, keepFailedSeconds: 600, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 2, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
  clerkApi = await startFakeClerkApi();
});
afterEach(async () => {
  await clerkApi.close();
  await system.close();
});

const reconcile = () =>
  reconcileClerk({ clerk: createClerkUsersClient({ secretKey: "sk_test_reconcile", apiUrl: clerkApi.url }), prisma, producer: system.producer, execute: true });

it("applies each reconciled user once through the worker's user handler", async () => {
  const t0 = Date.now() - 3_600_000;
  const knownId = uniqueId("user");
  const unknownId = uniqueId("user");
  await prisma.user.create({ data: { clerkUserId: knownId, email: `old-${knownId}@${FIXTURE_EMAIL_DOMAIN}`, clerkEventAt: new Date(t0), clerkEventId: uniqueId("msg") } });
  clerkApi.users.push(
    clerkApiUser({ id: knownId, email: `new-${knownId}@${FIXTURE_EMAIL_DOMAIN}`, createdAt: t0 - 1_000, updatedAt: t0 + 500 }),
    clerkApiUser({ id: unknownId, email: `${unknownId}@${FIXTURE_EMAIL_DOMAIN}`, createdAt: t0 - 500, updatedAt: t0 + 900 }),
  );

  expect(await reconcile()).toMatchObject({ checked: 2, missing: 2, enqueued: 2 });

  const eventIds = [`reconcile_${knownId}_${t0 + 500}`, `reconcile_${unknownId}_${t0 + 900}`];
  const rows = await waitFor("both synthetic events to settle", async () => {
    const settled = await prisma.webhookEvent.findMany({ where: { provider: "clerk", eventId: { in: eventIds } } });
    return settled.length === 2 && settled.every((row) => row.status === "completed") ? settled : undefined;
  });
  expect(rows.map((row) => row.attempts)).toEqual([1, 1]);
  const users = await prisma.user.findMany({ where: { clerkUserId: { in: [knownId, unknownId] } }, orderBy: { clerkEventAt: "asc" } });
  expect(users.map((user) => [user.clerkUserId, user.email, user.clerkEventAt?.getTime(), user.clerkEventId])).toEqual([
    [knownId, `new-${knownId}@${FIXTURE_EMAIL_DOMAIN}`, t0 + 500, eventIds[0]],
    [unknownId, `${unknownId}@${FIXTURE_EMAIL_DOMAIN}`, t0 + 900, eventIds[1]],
  ]);

  expect(await reconcile()).toMatchObject({ checked: 2, missing: 0, enqueued: 0 });
});
