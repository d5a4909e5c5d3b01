import { ConfigError } from "@wh/core";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  deleteQueueKeys,
  replayJobId,
  retryPolicyEnvFields,
  webhookJobId,
  type WebhookQueues,
} from "@wh/queue";
import {
  clerkApiUser,
  FIXTURE_EMAIL_DOMAIN,
  startFakeClerkApi,
  startFakeStripeApi,
  stripeEvent,
  subscriptionObject,
  TEST_JOB_SIGNING_KEY,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
  type FakeClerkApi,
  type FakeStripeApi,
} from "@wh/testkit";
import { UsageError } from "../cli-io";
import { captureIo } from "../test-support/capture-io";
import { runReconcileCommand } from "./reconcile-command";

/** `ops-cli reconcile` on the test Redis (queues of its own) and Postgres, against fake provider APIs. */
let redis: ReturnType<typeof createProducerConnection>;
let prefix: string;
let queues: WebhookQueues;
let stripeApi: FakeStripeApi;
let clerkApi: FakeClerkApi;

beforeEach(async () => {
  redis = createProducerConnection(testServers().redisUrl);
  prefix = uniqueQueuePrefix();
  queues = createWebhookQueues(redis, prefix);
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.waitUntilReady()));
  stripeApi = await startFakeStripeApi();
  clerkApi = await startFakeClerkApi();
});
afterEach(async () => {
  await stripeApi.close();
  await clerkApi.close();
  await closeWebhookQueues(queues);
  redis.disconnect();
  await deleteQueueKeys(testServers().redisUrl, prefix);
});

function env(): Record<string, string> {
  return {
    DATABASE_URL: testServers().databaseUrl,
    REDIS_URL: testServers().redisUrl,
    QUEUE_PREFIX: prefix,
    JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY,
    STRIPE_API_KEY: "rk_test_reconcile",
    STRIPE_API_URL: stripeApi.url,
    CLERK_SECRET_KEY: "sk_test_reconcile",
    CLERK_API_URL: clerkApi.url,
  };
}

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

function missingStripeEvent(): Record<string, unknown> {
  const object = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), clerkUserId: uniqueId("user"), status: "active", plan: "pro" });
  return stripeEvent("customer.subscription.created", object, { created: Math.floor(Date.now() / 1000) - 60 });
}

describe("ops-cli reconcile", () => {
  it("documents both providers, every flag and variable with --help", async () => {
    const { io, stdout } = captureIo();

    expect(await runReconcileCommand(["--help"], io)).toBe(0);

    for (const word of ["stripe", "clerk", "--since", "--until", "--execute", "user.deleted", ...Object.keys(env()), ...Object.keys(retryPolicyEnvFields)]) {
      expect(stdout()).toContain(word);
    }
  });

  it.each([
    [["stripe"], /--since is required/],
    [["stripe", "--since", "2026-11-31"], /--since must be a date/],
    [["stripe", "--since", new Date(Date.now() - 31 * 86_400_000).toISOString()], /within the last 30 days/],
    [["clerk", "--since", "2026-11-01"], /stripe only/],
    [["github"], /unknown provider/],
  ])("refuses %j as a usage error", async (argv, message) => {
    await expect(runReconcileCommand(argv, captureIo(env()).io)).rejects.toThrow(UsageError);
    await expect(runReconcileCommand(argv, captureIo(env()).io)).rejects.toThrow(message);
  });

  it("needs a Stripe key, and names it without echoing any value", async () => {
    const { STRIPE_API_KEY: _omitted, ...rest } = env();
    const failure = await runReconcileCommand(["stripe", "--since", hourAgo()], captureIo(rest).io).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/STRIPE_API_KEY/);
    expect((failure as Error).message).not.toContain(TEST_JOB_SIGNING_KEY);
  });

  it("stripe: prints the plan in a dry run and queues nothing; --execute queues it", async () => {
    const event = missingStripeEvent();
    stripeApi.events.push(event);

    const dry = captureIo(env());
    expect(await runReconcileCommand(["stripe", "--since", hourAgo()], dry.io)).toBe(0);
    expect(dry.stdout()).toContain(`${event.id as string}\tcustomer.subscription.created\t2025-03-31.basil\tmissing\twould re-add`);
    expect(dry.stderr()).toMatch(/checked 1, missing 1, unsettled 0, would enqueue 1/);
    expect(dry.stderr()).toContain("dry run");
    expect(await queues.stripe.getJob(replayJobId("stripe", event.id as string, 1))).toBeUndefined();

    const run = captureIo(env());
    expect(await runReconcileCommand(["stripe", "--since", hourAgo(), "--execute"], run.io)).toBe(0);
    expect(run.stdout()).toContain(`${event.id as string}\tcustomer.subscription.created\t2025-03-31.basil\tmissing\tre-added`);
    expect(run.stderr()).toMatch(/checked 1, missing 1, unsettled 0, enqueued 1/);
    expect(await queues.stripe.getJob(replayJobId("stripe", event.id as string, 1))).toBeDefined();
  });

  it("clerk --execute queues a user.updated for a user we do not have", async () => {
    const id = uniqueId("user");
    const updatedAt = Date.now() - 60_000;
    clerkApi.users.push(clerkApiUser({ id, email: `${id}@${FIXTURE_EMAIL_DOMAIN}`, createdAt: updatedAt - 1_000, updatedAt }));

    const run = captureIo(env());
    expect(await runReconcileCommand(["clerk", "--execute"], run.io)).toBe(0);

    const eventId = `reconcile_${id}_${updatedAt}`;
    expect(run.stdout()).toContain(`${id}\t${eventId}\tenqueued`);
    expect(run.stderr()).toMatch(/checked 1, missing 1, unsettled 0, enqueued 1/);
    expect((await queues.clerk.getJob(webhookJobId("clerk", eventId)))?.data).toMatchObject({ type: "user.updated", objectId: id });
  });
});
