import { createPrismaClient, type PrismaClient } from "@wh/db";
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
import fc from "fast-check";
import { runnableDeferredJobs } from "./deferred/release-deferred-events";
import { keyToRelease } from "./on-job-completed";
import { applyJob, clerkJob, stripeJob } from "./test-support/apply-job";

/**
 * Providers deliver at least once and in any order. For each lifecycle, 100 random delivery
 * orders with random re-deliveries must end in the same domain state (users, subscriptions,
 * plans, recorded payment failures) as in-order delivery. Ledger statuses rightly differ.
 */
let prisma: PrismaClient;
beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 4 });
});
afterAll(async () => {
  await prisma.$disconnect();
});

interface Ids {
  clerkUserId: string;
  customerId: string;
  subscriptionId: string;
  invoiceId: string;
}

type Lifecycle = (ids: Ids) => WebhookJob[];

const T0 = 1_790_000_000;

/** created → updated ×3 → payment failed → updated unpaid → deleted; Clerk created → updated ×2 → deleted. */
const cancellation: Lifecycle = (ids) => {
  const sub = (status: string, plan: string, extra: object = {}) =>
    subscriptionObject({ id: ids.subscriptionId, customerId: ids.customerId, clerkUserId: ids.clerkUserId, status, plan, ...extra });
  const renewed = sub("active", "pro", { periodStart: T0 + 2_592_000 });
  return [
    stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: ids.clerkUserId, customerId: ids.customerId }), { created: T0 })),
    stripeJob(stripeEvent("customer.subscription.created", sub("active", "starter"), { created: T0 + 1 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("active", "pro"), { created: T0 + 2 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("active", "pro", { cancelAtPeriodEnd: true }), { created: T0 + 3 })),
    stripeJob(stripeEvent("customer.subscription.updated", renewed, { created: T0 + 4 })),
    // Stripe sometimes sends one change under two event ids.
    stripeJob(stripeEvent("customer.subscription.updated", renewed, { created: T0 + 4 })),
    stripeJob(stripeEvent("invoice.payment_failed", invoiceObject({ id: ids.invoiceId, subscriptionId: ids.subscriptionId }), { created: T0 + 5 })),
    // Deliberate same-second tie with the failure above.
    stripeJob(stripeEvent("customer.subscription.updated", sub("past_due", "pro", { periodStart: T0 + 2_592_000 }), { created: T0 + 5 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("unpaid", "pro", { periodStart: T0 + 2_592_000 }), { created: T0 + 6 })),
    stripeJob(stripeEvent("customer.subscription.deleted", sub("canceled", "pro", { periodStart: T0 + 2_592_000 }), { created: T0 + 7 })),
    clerkJob(clerkUserEvent("user.created", { id: ids.clerkUserId, email: "first@example.com" }, T0 * 1000)),
    clerkJob(clerkUserEvent("user.updated", { id: ids.clerkUserId, email: "second@example.com" }, T0 * 1000 + 1_000)),
    clerkJob(clerkUserEvent("user.updated", { id: ids.clerkUserId, email: "third@example.com", lastName: "Byron" }, T0 * 1000 + 2_000)),
    clerkJob(clerkUserDeletedEvent(ids.clerkUserId, T0 * 1000 + 3_000)),
  ];
};

/** A payment fails and is recovered, then an upgrade: ends active on `business`. */
const recovery: Lifecycle = (ids) => {
  const sub = (status: string, plan: string) =>
    subscriptionObject({ id: ids.subscriptionId, customerId: ids.customerId, clerkUserId: ids.clerkUserId, status, plan });
  const invoice = (attemptCount: number) => invoiceObject({ id: ids.invoiceId, subscriptionId: ids.subscriptionId, attemptCount });
  return [
    stripeJob(stripeEvent("customer.subscription.created", sub("incomplete", "starter"), { created: T0 })),
    stripeJob(stripeEvent("invoice.paid", invoiceObject({ subscriptionId: ids.subscriptionId }), { created: T0 + 1 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("active", "starter"), { created: T0 + 1 })),
    stripeJob(stripeEvent("invoice.payment_failed", invoice(1), { created: T0 + 2 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("past_due", "starter"), { created: T0 + 2 })),
    stripeJob(stripeEvent("invoice.payment_failed", invoice(2), { created: T0 + 3 })),
    stripeJob(stripeEvent("invoice.paid", invoice(3), { created: T0 + 4 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("active", "business"), { created: T0 + 5 })),
    clerkJob(clerkUserEvent("user.created", { id: ids.clerkUserId, email: "first@example.com" }, T0 * 1000)),
    clerkJob(clerkUserEvent("user.updated", { id: ids.clerkUserId, email: "second@example.com" }, T0 * 1000 + 1_000)),
  ];
};

/**
 * Subscription events without `clerk_user_id` metadata: only the checkout links the customer, so
 * in most orders they wait for it, and the invoice events wait for the subscription.
 */
const unlinked: Lifecycle = (ids) => {
  const sub = (status: string, plan: string) =>
    subscriptionObject({ id: ids.subscriptionId, customerId: ids.customerId, status, plan });
  return [
    stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: ids.clerkUserId, customerId: ids.customerId }), { created: T0 })),
    stripeJob(stripeEvent("customer.subscription.created", sub("incomplete", "starter"), { created: T0 + 1 })),
    stripeJob(stripeEvent("invoice.paid", invoiceObject({ subscriptionId: ids.subscriptionId }), { created: T0 + 2 })),
    stripeJob(stripeEvent("invoice.payment_failed", invoiceObject({ id: ids.invoiceId, subscriptionId: ids.subscriptionId }), { created: T0 + 3 })),
    stripeJob(stripeEvent("customer.subscription.updated", sub("active", "pro"), { created: T0 + 4 })),
    clerkJob(clerkUserEvent("user.created", { id: ids.clerkUserId, email: "first@example.com" }, T0 * 1000)),
  ];
};

/**
 * Delivers in the given order, as the workers run it: an event that must wait (its customer is
 * not linked, its subscription not stored yet) is deferred, and runs the moment an event makes what it waits for exist
 * (the same release rule as the workers' `completed` handler, without the queue in between).
 */
async function deliver(jobs: WebhookJob[]): Promise<void> {
  const queue = [...jobs];
  while (queue.length > 0) {
    const job = queue.shift() as WebhookJob;
    const waitKey = keyToRelease(await applyJob(prisma, job));
    if (waitKey) queue.unshift(...(await runnableDeferredJobs(prisma, waitKey)));
  }
  const waiting = await prisma.webhookEvent.count({ where: { eventId: { in: jobs.map((job) => job.eventId) }, status: "deferred" } });
  expect(waiting).toBe(0);
}

async function domainState(ids: Ids) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { clerkUserId: ids.clerkUserId },
    include: { customers: { select: { stripeCustomerId: true } } },
  });
  const subscription = await prisma.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: ids.subscriptionId } });
  const failures = await prisma.invoicePaymentFailure.findMany({
    where: { stripeSubscriptionId: ids.subscriptionId },
    orderBy: [{ stripeInvoiceId: "asc" }, { attemptCount: "asc" }],
  });
  const anonymise = (value: string | null) =>
    value === null ? null : (Object.entries(ids).find(([, id]) => id === value)?.[0] ?? value);
  return {
    user: {
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      currentPlan: user.currentPlan,
      deletedAt: user.deletedAt,
      stripeCustomerId: anonymise(user.stripeCustomerId),
      customers: user.customers.map((c) => anonymise(c.stripeCustomerId)),
    },
    subscription: {
      status: subscription.status,
      plan: subscription.plan,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      stripeCustomerId: anonymise(subscription.stripeCustomerId),
    },
    failures: failures.map((f) => ({ invoice: anonymise(f.stripeInvoiceId), attempt: f.attemptCount, final: f.final })),
  };
}

const freshIds = (): Ids => ({
  clerkUserId: uniqueId("user"),
  customerId: uniqueId("cus"),
  subscriptionId: uniqueId("sub"),
  invoiceId: uniqueId("in"),
});

/** Rebuilds a lifecycle for new entity ids, keeping each event's own id unique per run. */
function instantiate(lifecycle: Lifecycle): { ids: Ids; jobs: WebhookJob[] } {
  const ids = freshIds();
  return { ids, jobs: lifecycle(ids) };
}

describe.each([
  ["cancellation", cancellation],
  ["recovery", recovery],
  ["unlinked", unlinked],
] as const)("the %s lifecycle", (_name, lifecycle) => {
  it("ends in the in-order state for 100 random delivery orders with re-deliveries", async () => {
    const reference = instantiate(lifecycle);
    await deliver(reference.jobs);
    const expected = await domainState(reference.ids);
    const size = reference.jobs.length;

    const deliveryPlan = fc
      .array(fc.nat(size - 1), { maxLength: 4 })
      .chain((duplicates) => {
        const indices = [...Array.from({ length: size }, (_, i) => i), ...duplicates];
        return fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length });
      });

    await fc.assert(
      fc.asyncProperty(deliveryPlan, async (order) => {
        const run = instantiate(lifecycle);
        await deliver(order.map((index) => run.jobs[index] as WebhookJob));
        expect(await domainState(run.ids)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  }, 180_000);
});
