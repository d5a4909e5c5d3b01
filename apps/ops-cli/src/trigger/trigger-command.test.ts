import { deleteQueueKeys } from "@wh/queue";
import { execFile } from "node:child_process";
import path from "node:path";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  AppProcess,
  freePort,
  TEST_CLERK_SECRET,
  TEST_JOB_SIGNING_KEY,
  TEST_STRIPE_SECRET,
  TEST_STRIPE_SECRET_NEXT,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
} from "@wh/testkit";
import { runOpsCli } from "../ops-cli";
import { captureIo } from "../test-support/capture-io";

/**
 * `ops-cli trigger` against the built receiver and worker as real processes, on queues of their
 * own: what it prints and what the database holds must agree.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

let receiver: AppProcess;
let worker: AppProcess;
let prisma: PrismaClient;
const appEnv: Record<string, string> = {
  REDIS_URL: testServers().redisUrl,
  DATABASE_URL: testServers().databaseUrl,
  QUEUE_PREFIX: uniqueQueuePrefix(),
  STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET,
  CLERK_WEBHOOK_SECRET: TEST_CLERK_SECRET,
  JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY,
};
const triggerEnv = () => ({
  DATABASE_URL: testServers().databaseUrl,
  STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET,
  CLERK_WEBHOOK_SECRET: TEST_CLERK_SECRET,
});
const users: string[] = [];
const eventIds: string[] = [];

beforeAll(async () => {
  [receiver, worker] = await Promise.all([AppProcess.start("receiver", appEnv), AppProcess.start("worker", appEnv)]);
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
});

afterAll(async () => {
  await Promise.all([receiver?.stop(), worker?.stop()]);
  await prisma?.webhookEvent.deleteMany({ where: { eventId: { in: eventIds } } });
  await prisma?.user.deleteMany({ where: { clerkUserId: { in: users } } });
  await prisma?.$disconnect();
  await deleteQueueKeys(appEnv.REDIS_URL!, appEnv.QUEUE_PREFIX!);
});

interface TriggerRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The key=value fields of each stdout line, by its first word. */
  lines: Record<string, Record<string, string>>;
}

function fields(stdout: string): Record<string, Record<string, string>> {
  const lines: Record<string, Record<string, string>> = {};
  for (const line of stdout.trim().split("\n").filter(Boolean)) {
    const [kind, ...pairs] = line.split(/\s+/);
    lines[kind!] = Object.fromEntries(pairs.map((pair) => pair.split("=", 2) as [string, string]));
  }
  if (lines.sent?.event) eventIds.push(lines.sent.event);
  return lines;
}

async function trigger(argv: string[], env: Record<string, string> = triggerEnv()): Promise<TriggerRun> {
  const run = captureIo(env);
  const code = await runOpsCli(["trigger", ...argv, "--receiver-url", receiver.url], run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr(), lines: fields(run.stdout()) };
}

/** The command as an operator runs it: a child process through tsx. */
function triggerProcess(argv: string[]): Promise<TriggerRun> {
  return new Promise((resolve) => {
    const options = { cwd: ROOT, env: { ...process.env, ...triggerEnv() } };
    const args = [path.join(ROOT, "apps", "ops-cli", "src", "main.ts"), "trigger", ...argv, "--receiver-url", receiver.url];
    execFile(TSX, args, options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr, lines: fields(stdout) });
    });
  });
}

async function ledgerStatus(provider: "stripe" | "clerk", eventId: string): Promise<string | undefined> {
  const row = await prisma.webhookEvent.findUnique({ where: { provider_eventId: { provider, eventId } } });
  return row?.status;
}

describe("ops-cli trigger", () => {
  it("signs up a Clerk user, links a checkout's customer and subscribes them to a plan; then changes and cancels it", async () => {
    const userId = uniqueId("user");
    users.push(userId);

    const created = await triggerProcess(["user.created", "--user", userId, "--email", `${userId}@example.com`]);
    expect(created).toMatchObject({ code: 0 });
    expect(created.lines.sent).toMatchObject({ provider: "clerk", user: userId, http: "200" });
    expect(created.lines.ledger).toMatchObject({ status: "completed", attempts: "1" });
    expect(created.lines.user).toMatchObject({ clerk: userId, plan: "none", deleted: "no" });
    expect(created.stderr).toContain("[trigger] user.created: completed; plan none");
    expect(await ledgerStatus("clerk", created.lines.sent!.event!)).toBe("completed");
    expect(await prisma.user.findUnique({ where: { clerkUserId: userId } })).toMatchObject({ email: `${userId}@example.com`, currentPlan: null });

    const checkout = await trigger(["checkout.session.completed", "--user", userId]);
    expect(checkout).toMatchObject({ code: 0 });
    const customerId = checkout.lines.sent!.customer!;
    expect(customerId).toMatch(/^cus_/);
    expect(checkout.lines.ledger).toMatchObject({ status: "completed" });
    expect(checkout.lines.user).toMatchObject({ clerk: userId, plan: "none", customer: customerId });
    expect(await ledgerStatus("stripe", checkout.lines.sent!.event!)).toBe("completed");

    const subscribed = await trigger(["customer.subscription.created", "--user", userId, "--plan", "pro"]);
    expect(subscribed).toMatchObject({ code: 0 });
    const subscriptionId = subscribed.lines.sent!.subscription!;
    expect(subscribed.lines.sent).toMatchObject({ provider: "stripe", customer: customerId });
    expect(subscribed.lines.ledger).toMatchObject({ status: "completed" });
    expect(subscribed.lines.user).toMatchObject({ plan: "pro", customer: customerId });
    expect(subscribed.lines.subscription).toEqual({ id: subscriptionId, status: "active", plan: "pro" });
    expect(subscribed.stderr).toContain("[trigger] customer.subscription.created: completed; plan pro");
    expect(await ledgerStatus("stripe", subscribed.lines.sent!.event!)).toBe("completed");
    expect(await prisma.user.findUnique({ where: { clerkUserId: userId } })).toMatchObject({ currentPlan: "pro", stripeCustomerId: customerId });
    expect(await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })).toMatchObject({ status: "active", plan: "pro" });

    // Sent within the same second as the creation: the event time moves past the watermark, so it is not stale.
    const upgraded = await trigger(["customer.subscription.updated", "--user", userId, "--plan", "business"]);
    expect(upgraded.lines.sent).toMatchObject({ subscription: subscriptionId });
    expect(upgraded.lines.ledger).toMatchObject({ status: "completed" });
    expect(upgraded.lines.user).toMatchObject({ plan: "business" });

    const canceled = await trigger(["customer.subscription.deleted", "--user", userId, "--plan", "business"]);
    expect(canceled.lines.ledger).toMatchObject({ status: "completed" });
    expect(canceled.lines.subscription).toEqual({ id: subscriptionId, status: "canceled", plan: "business" });
    expect(canceled.lines.user).toMatchObject({ plan: "none" });
    expect(await prisma.user.findUnique({ where: { clerkUserId: userId } })).toMatchObject({ currentPlan: null });
  });

  it("says the receiver is down, exit 1", async () => {
    const run = captureIo(triggerEnv());
    const url = `http://127.0.0.1:${await freePort()}`;

    const code = await runOpsCli(["trigger", "user.updated", "--user", uniqueId("user"), "--receiver-url", url], run.io);

    expect(code).toBe(1);
    expect(run.stderr()).toMatch(new RegExp(`receiver not reachable at ${url}/webhooks/clerk \\(ECONNREFUSED\\): is it running\\?`));
  });

  it("says the receiver refused the signature (another secret), exit 1, and nothing reaches the ledger", async () => {
    const run = await trigger(["checkout.session.completed", "--user", uniqueId("user")], {
      ...triggerEnv(),
      STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET_NEXT,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/receiver answered 400 Bad Request at .*\/webhooks\/stripe: is the signing secret the receiver's\?/);
    expect(run.stdout).toBe("");
    const sentId = /sending checkout.session.completed \((evt_\w+)\)/.exec(run.stderr)?.[1];
    expect(sentId).toBeDefined();
    expect(await ledgerStatus("stripe", sentId!)).toBeUndefined();
  });

  it("needs a subscription for invoice events, and the provider's secret", async () => {
    const userId = uniqueId("user");
    const noSubscription = await trigger(["invoice.paid", "--user", userId]);
    const noSecret = captureIo({ DATABASE_URL: testServers().databaseUrl });

    expect(noSubscription.code).toBe(1);
    expect(noSubscription.stderr).toMatch(`${userId} has no subscription yet: trigger customer.subscription.created first`);
    expect(await runOpsCli(["trigger", "user.created", "--user", userId], noSecret.io)).toBe(2);
    expect(noSecret.stderr()).toMatch(/CLERK_WEBHOOK_SECRET: is required/);
  });

  it("documents every event, option and variable with --help; a usage error exits 2", async () => {
    const help = captureIo();
    const bad = captureIo();

    expect(await runOpsCli(["trigger", "--help"], help.io)).toBe(0);
    for (const word of ["customer.subscription.created", "invoice.payment_failed", "user.deleted", "--user", "--plan", "--receiver-url", "--timeout", "DATABASE_URL", "STRIPE_WEBHOOK_SECRET", "CLERK_WEBHOOK_SECRET"]) {
      expect(help.stdout()).toContain(word);
    }
    expect(await runOpsCli(["trigger", "customer.subscription.created", "--user", "user_1"], bad.io)).toBe(2);
    expect(bad.stderr()).toBe("trigger: --plan is required for customer.subscription.created\nRun ops-cli trigger --help for usage.\n");
  });
});
