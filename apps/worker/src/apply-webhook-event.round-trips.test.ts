import { createPrismaClient, databasePoolOf, type DatabasePool, type PrismaClient } from "@wh/db";
import type { WebhookJob } from "@wh/queue";
import {
  checkoutSession,
  clerkUserDeletedEvent,
  clerkUserEvent,
  invoiceObject,
  stripeEvent,
  subscriptionObject,
  testServers,
  uniqueId,
} from "@wh/testkit";
import { applyJob, clerkJob, stripeJob } from "./test-support/apply-job";

/**
 * The hot path's budget in network exchanges with Postgres, counted on the pool's clients: a
 * pipelined client sends a query at once, so a query issued while none of that client's is
 * unanswered starts an exchange and the ones issued before the answers come ride in it; a client
 * not in pipeline mode waits for each answer, so each of its queries is an exchange.
 */
let prisma: PrismaClient;
let exchanges = 0;

function countExchanges(pool: DatabasePool): void {
  const counted = new WeakSet<object>();
  pool.on("acquire", (client) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown> | undefined;
    let unanswered = 0;
    const answered = () => (unanswered -= 1);
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (!client.pipeline || unanswered === 0) exchanges += 1;
      unanswered += 1;
      // pg-pool's own `pool.query` passes a callback; Prisma and the hot path take the promise.
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (...results: unknown[]) => {
          answered();
          return callback(...results) as unknown;
        };
        return query(...args);
      }
      const answer = query(...args);
      void answer?.then(answered, answered);
      return answer;
    };
  });
}

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
  countExchanges(databasePoolOf(prisma));
});
afterAll(async () => {
  await prisma.$disconnect();
});

async function exchangesOf(job: WebhookJob): Promise<{ status: string; exchanges: number }> {
  const before = exchanges;
  const { status } = await applyJob(prisma, job);
  return { status, exchanges: exchanges - before };
}

const t0 = Math.floor(Date.now() / 1000) - 3_600;

describe("round trips to Postgres per subscription event", () => {
  it("a handled event takes at most 3, a duplicate delivery 2", async () => {
    const ids = { id: uniqueId("sub"), customerId: uniqueId("cus"), clerkUserId: uniqueId("user") };
    const event = (type: string, status: string, plan: string, at: number) =>
      stripeJob(stripeEvent(type, subscriptionObject({ ...ids, status, plan }), { created: at }));
    const created = event("customer.subscription.created", "active", "pro", t0);
    const updated = event("customer.subscription.updated", "active", "business", t0 + 10);

    expect({
      created: await exchangesOf(created),
      updated: await exchangesOf(updated),
      stale: await exchangesOf(event("customer.subscription.updated", "active", "starter", t0 + 5)),
      identical: await exchangesOf(event("customer.subscription.updated", "active", "business", t0 + 11)),
      deleted: await exchangesOf(event("customer.subscription.deleted", "canceled", "business", t0 + 20)),
      "created again": await exchangesOf(created),
      "updated again": await exchangesOf(updated),
    }).toEqual({
      created: { status: "completed", exchanges: 3 },
      updated: { status: "completed", exchanges: 2 },
      stale: { status: "skipped_stale", exchanges: 2 },
      identical: { status: "skipped_duplicate", exchanges: 2 },
      deleted: { status: "completed", exchanges: 2 },
      "created again": { status: "completed", exchanges: 2 },
      "updated again": { status: "completed", exchanges: 2 },
    });
    expect(await prisma.user.findUnique({ where: { clerkUserId: ids.clerkUserId }, select: { currentPlan: true } })).toEqual({
      currentPlan: null,
    });
  });

  it("a new subscription found through its customer link takes 3, and so does one that must wait for it", async () => {
    const customerId = uniqueId("cus");
    const clerkUserId = uniqueId("user");
    const waiting = stripeJob(
      stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" }), { created: t0 }),
    );
    expect(await exchangesOf(waiting)).toEqual({ status: "deferred", exchanges: 3 });

    await applyJob(prisma, stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: t0 + 1 })));
    expect(await exchangesOf(waiting)).toEqual({ status: "completed", exchanges: 3 });
    expect(await prisma.user.findUnique({ where: { clerkUserId }, select: { currentPlan: true } })).toEqual({ currentPlan: "pro" });
  });
});

describe("round trips to Postgres per Clerk user event", () => {
  it("a handled event takes at most 3, a duplicate delivery 2", async () => {
    const id = uniqueId("user");
    const at = t0 * 1000;
    const update = (email: string, when: number) => clerkJob(clerkUserEvent("user.updated", { id, email: `${email}-${id}@example.com` }, when));
    const created = clerkJob(clerkUserEvent("user.created", { id, email: `${id}@example.com` }, at));
    const updated = update("new", at + 2_000);
    const deleted = clerkJob(clerkUserDeletedEvent(id, at + 5_000));
    // In order: each case's delivery, then the status and exchanges it must take.
    const cases: [string, WebhookJob, string, number][] = [
      ["created (new user)", created, "completed", 3],
      ["updated", updated, "completed", 2],
      ["stale", update("old", at + 1_000), "skipped_stale", 2],
      ["identical snapshot", update("new", at + 3_000), "skipped_duplicate", 2],
      ["deleted", deleted, "completed", 2],
      ["updated after deletion", update("late", at + 9_000), "skipped_stale", 2],
      ["deleted again (new delivery id)", clerkJob(clerkUserDeletedEvent(id, at + 6_000)), "skipped_duplicate", 2],
      ["created, delivered again", created, "completed", 2],
      ["deleted, delivered again", deleted, "completed", 2],
    ];
    const measured: [string, string, number][] = [];
    for (const [name, job] of cases) {
      const { status, exchanges: taken } = await exchangesOf(job);
      measured.push([name, status, taken]);
    }
    expect(measured).toEqual(cases.map(([name, , status, taken]) => [name, status, taken]));
    expect(await prisma.user.findUnique({ where: { clerkUserId: id }, select: { email: true, deletedAt: true } })).toEqual({
      email: null,
      deletedAt: new Date(at + 5_000),
    });
  });

  it("a user deleted before we saw it takes 3 for its tombstone, and its ledger row names it", async () => {
    const id = uniqueId("user");
    const deleted = clerkJob(clerkUserDeletedEvent(id, t0 * 1000));
    expect(await exchangesOf(deleted)).toEqual({ status: "completed", exchanges: 3 });
    const user = await prisma.user.findUniqueOrThrow({ where: { clerkUserId: id }, select: { id: true } });
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider: "clerk", eventId: deleted.eventId } }, select: { userId: true } })).toEqual({
      userId: user.id,
    });
  });
});

describe("round trips to Postgres per checkout and invoice event", () => {
  it("a handled event takes at most 3, a duplicate delivery 2", async () => {
    const clerkUserId = uniqueId("user");
    const customerId = uniqueId("cus");
    const subscriptionId = uniqueId("sub");
    const checkout = (customer: string, at: number) =>
      stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId: customer }), { created: at }));
    const invoice = invoiceObject({ subscriptionId, attemptCount: 4, nextPaymentAttempt: null });
    const invoiceEvent = (type: string, at: number) => stripeJob(stripeEvent(type, invoice, { created: at }));
    const firstCheckout = checkout(customerId, t0);
    const failed = invoiceEvent("invoice.payment_failed", t0 + 10);
    const paid = invoiceEvent("invoice.paid", t0 + 20);

    const newUser = await exchangesOf(firstCheckout);
    const knownUser = await exchangesOf(checkout(uniqueId("cus"), t0 + 1));
    const waiting = await exchangesOf(invoiceEvent("invoice.payment_failed", t0 + 2));
    const subscription = subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", subscription, { created: t0 + 3 })));
    expect({
      "checkout, new user": newUser,
      "checkout, known user": knownUser,
      "invoice, deferred": waiting,
      "payment failed": await exchangesOf(failed),
      "payment failed, same attempt under another event id": await exchangesOf(invoiceEvent("invoice.payment_failed", t0 + 11)),
      paid: await exchangesOf(paid),
      "paid, already active": await exchangesOf(invoiceEvent("invoice.payment_succeeded", t0 + 21)),
      "checkout again": await exchangesOf(firstCheckout),
      "payment failed again": await exchangesOf(failed),
      "paid again": await exchangesOf(paid),
    }).toEqual({
      "checkout, new user": { status: "completed", exchanges: 2 },
      "checkout, known user": { status: "completed", exchanges: 2 },
      "invoice, deferred": { status: "deferred", exchanges: 2 },
      "payment failed": { status: "completed", exchanges: 2 },
      "payment failed, same attempt under another event id": { status: "skipped_duplicate", exchanges: 2 },
      paid: { status: "completed", exchanges: 2 },
      "paid, already active": { status: "skipped_duplicate", exchanges: 2 },
      "checkout again": { status: "completed", exchanges: 2 },
      "payment failed again": { status: "completed", exchanges: 2 },
      "paid again": { status: "completed", exchanges: 2 },
    });
    expect(await prisma.user.findUnique({ where: { clerkUserId }, select: { currentPlan: true } })).toEqual({ currentPlan: "pro" });
  });
});
