import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  checkJobSignature,
  DEFAULT_RETRY_POLICY,
  webhookJobId,
  webhookJobOptions,
  WebhookProducer,
  type WebhookQueues,
} from "@wh/queue";
import {
  clerkApiUser,
  FIXTURE_EMAIL_DOMAIN,
  startFakeClerkApi,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  type FakeClerkApi,
} from "@wh/testkit";
import { createClerkUsersClient } from "./clerk-users-client";
import { reconcileClerk, type ClerkReconcileOptions, type ReconciledClerkUser } from "./reconcile-clerk";
import { openOwnTestQueues, type OwnTestQueues } from "./test-support/own-test-queues";

/** Clerk reconciliation against a fake Clerk API, the shared test Postgres and Redis (a prefix of its own). */
let prisma: PrismaClient;
let own: OwnTestQueues;
let queues: WebhookQueues;
let producer: WebhookProducer;
let clerkApi: FakeClerkApi;

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
});
afterAll(async () => {
  await prisma.$disconnect();
});
beforeEach(async () => {
  own = await openOwnTestQueues();
  queues = own.queues;
  producer = new WebhookProducer({ queues, jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY), timeoutMs: 2_000, signingKeys: [TEST_JOB_SIGNING_KEY] });
  clerkApi = await startFakeClerkApi();
});
afterEach(async () => {
  await clerkApi.close();
  await own.close();
});

const t0 = Date.now() - 3_600_000;

function clerkUser(updatedAt: number) {
  const id = uniqueId("user");
  return clerkApiUser({ id, email: `${id}@${FIXTURE_EMAIL_DOMAIN}`, createdAt: t0 - 1_000, updatedAt });
}

async function storeUser(user: Record<string, unknown>, fields: { clerkEventAt: Date; deletedAt?: Date }): Promise<void> {
  await prisma.user.create({ data: { clerkUserId: user.id as string, clerkEventId: uniqueId("msg"), ...fields } });
}

async function run(overrides: Partial<ClerkReconcileOptions> = {}) {
  const seen: ReconciledClerkUser[] = [];
  const summary = await reconcileClerk({
    clerk: createClerkUsersClient({ secretKey: "sk_test_reconcile", apiUrl: clerkApi.url }),
    prisma,
    producer,
    execute: true,
    pageSize: 2,
    onUser: (user) => seen.push(user),
    ...overrides,
  });
  return { summary, seen };
}

const jobIdOf = (user: Record<string, unknown>) => webhookJobId("clerk", `reconcile_${user.id as string}_${user.updated_at as number}`);

describe("reconcileClerk", () => {
  it("enqueues a signed user.updated for users newer than ours or unknown to us, none for the others", async () => {
    const unknown = clerkUser(t0 + 10);
    const newer = clerkUser(t0 + 20);
    const same = clerkUser(t0 + 30);
    const deleted = clerkUser(t0 + 40);
    await storeUser(newer, { clerkEventAt: new Date(t0) });
    await storeUser(same, { clerkEventAt: new Date(t0 + 30) });
    await storeUser(deleted, { clerkEventAt: new Date(t0), deletedAt: new Date(t0 + 1) });
    clerkApi.users.push(unknown, newer, same, deleted);

    const { summary, seen } = await run();

    expect(summary).toEqual({ checked: 4, missing: 3, unsettled: 0, enqueued: 2, alreadyQueued: 0, skipped: 1, errors: 0 });
    expect(seen.map((user) => [user.clerkUserId, user.outcome])).toEqual([
      [unknown.id, "enqueued"],
      [newer.id, "enqueued"],
      [deleted.id, "deleted"],
    ]);
    const job = await queues.clerk.getJob(jobIdOf(newer));
    expect(job?.data).toMatchObject({
      provider: "clerk",
      eventId: `reconcile_${newer.id as string}_${t0 + 20}`,
      type: "user.updated",
      objectId: newer.id,
      eventCreatedAt: t0 + 20,
      payload: { type: "user.updated", timestamp: t0 + 20, data: { id: newer.id, email_addresses: [{ email_address: `${newer.id as string}@${FIXTURE_EMAIL_DOMAIN}` }] } },
    });
    expect(checkJobSignature(job!.data, [TEST_JOB_SIGNING_KEY]).ok).toBe(true);
    expect(await queues.clerk.getJob(jobIdOf(same))).toBeUndefined();
    expect(await queues.clerk.getJob(jobIdOf(deleted))).toBeUndefined();
    // Pages of two by offset, in sign-up order.
    const listed = clerkApi.requests.filter((url) => url.pathname === "/v1/users");
    expect(listed.map((url) => [url.searchParams.get("offset"), url.searchParams.get("order_by")])).toEqual([
      [null, "+created_at"],
      ["2", "+created_at"],
      ["4", "+created_at"],
    ]);
  });

  it("a second run finds the job already queued", async () => {
    clerkApi.users.push(clerkUser(t0 + 10));
    await run();

    const { summary } = await run();

    expect(summary).toMatchObject({ checked: 1, missing: 1, enqueued: 0, alreadyQueued: 1 });
  });

  it("plans only in a dry run: nothing reaches Redis", async () => {
    clerkApi.users.push(clerkUser(t0 + 10), clerkUser(t0 + 20));

    const { summary, seen } = await run({ execute: false });

    expect(summary).toMatchObject({ checked: 2, missing: 2, enqueued: 2 });
    expect(seen.map((user) => user.outcome)).toEqual(["planned", "planned"]);
    expect(await queues.clerk.getJobCountByTypes("waiting", "delayed", "active", "completed", "failed", "prioritized")).toBe(0);
  });
});
