import { createPrismaClient, type PrismaClient } from "@wh/db";
import { invoiceObject, stripeEvent, subscriptionObject, testServers, uniqueId } from "@wh/testkit";
import { applyJob, stripeJob } from "../../test-support/apply-job";

let prisma: PrismaClient;
beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 4 });
});
afterAll(async () => {
  await prisma.$disconnect();
});

async function activeSubscription(at: number) {
  const clerkUserId = uniqueId("user");
  const customerId = uniqueId("cus");
  const subscriptionId = uniqueId("sub");
  const object = subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro", clerkUserId });
  await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", object, { created: at })));
  return { clerkUserId, subscriptionId };
}

const plan = async (clerkUserId: string) => (await prisma.user.findUnique({ where: { clerkUserId } }))?.currentPlan;
const status = async (subscriptionId: string) =>
  (await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } }))?.status;

describe("invoice payment events", () => {
  const t0 = Math.floor(Date.now() / 1000) - 3_600;

  it.each(["basil", "legacy"] as const)("a retried failure (%s shape) marks past_due and keeps the plan", async (shape) => {
    const { clerkUserId, subscriptionId } = await activeSubscription(t0);
    const failed = stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId, shape }), { created: t0 + 10 });
    expect((await applyJob(prisma, stripeJob(failed))).status).toBe("completed");
    expect(await status(subscriptionId)).toBe("past_due");
    expect(await plan(clerkUserId)).toBe("pro");
  });

  it("a final failure (no next attempt) withdraws the plan, and a paid invoice restores it", async () => {
    const { clerkUserId, subscriptionId } = await activeSubscription(t0);
    const invoiceId = uniqueId("in");
    await applyJob(prisma, stripeJob(stripeEvent("invoice.payment_failed", invoiceObject({ id: invoiceId, subscriptionId, attemptCount: 1 }), { created: t0 + 10 })));
    await applyJob(
      prisma,
      stripeJob(stripeEvent("invoice.payment_failed", invoiceObject({ id: invoiceId, subscriptionId, attemptCount: 4, nextPaymentAttempt: null }), { created: t0 + 20 })),
    );
    expect(await status(subscriptionId)).toBe("unpaid");
    expect(await plan(clerkUserId)).toBeNull();

    const paid = stripeEvent("invoice.paid", invoiceObject({ id: invoiceId, subscriptionId, attemptCount: 5 }), { created: t0 + 30 });
    expect((await applyJob(prisma, stripeJob(paid))).status).toBe("completed");
    expect(await plan(clerkUserId)).toBe("pro");
    const failures = await prisma.invoicePaymentFailure.findMany({ where: { stripeInvoiceId: invoiceId }, orderBy: { attemptCount: "asc" } });
    expect(failures.map((f) => [f.attemptCount, f.final])).toEqual([[1, false], [4, true]]);
  });

  it("records a failure once per invoice attempt, even under a second event id", async () => {
    const { subscriptionId } = await activeSubscription(t0);
    const invoice = invoiceObject({ subscriptionId, attemptCount: 2 });
    await applyJob(prisma, stripeJob(stripeEvent("invoice.payment_failed", invoice, { created: t0 + 10 })));
    const again = await applyJob(prisma, stripeJob(stripeEvent("invoice.payment_failed", invoice, { created: t0 + 10 })));
    expect(again.status).toBe("skipped_duplicate");
    expect(await prisma.invoicePaymentFailure.count({ where: { stripeInvoiceId: invoice.id as string } })).toBe(1);
  });

  it("a late failure never overrides newer subscription state", async () => {
    const { clerkUserId, subscriptionId } = await activeSubscription(t0);
    const renewed = subscriptionObject({ id: subscriptionId, customerId: uniqueId("cus"), status: "active", plan: "business", clerkUserId, periodStart: 1_800_000_000 });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.updated", renewed, { created: t0 + 50 })));
    const late = stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId, nextPaymentAttempt: null }), { created: t0 + 20 });
    expect((await applyJob(prisma, stripeJob(late))).status).toBe("skipped_stale");
    expect(await status(subscriptionId)).toBe("active");
    expect(await plan(clerkUserId)).toBe("business");
  });

  it("a paid invoice does not revive a canceled subscription", async () => {
    const { clerkUserId, subscriptionId } = await activeSubscription(t0);
    const canceled = subscriptionObject({ id: subscriptionId, customerId: uniqueId("cus"), status: "canceled", plan: "pro", clerkUserId });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.deleted", canceled, { created: t0 + 10 })));
    const paid = stripeEvent("invoice.paid", invoiceObject({ subscriptionId }), { created: t0 + 20 });
    expect((await applyJob(prisma, stripeJob(paid))).status).toBe("skipped_stale");
    expect(await plan(clerkUserId)).toBeNull();
  });

  it("defers an invoice event that arrives before its subscription, recording no failure", async () => {
    const subscriptionId = uniqueId("sub");
    const event = stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId }));
    expect(await applyJob(prisma, stripeJob(event))).toMatchObject({ status: "deferred", waitKey: `stripe_subscription:${subscriptionId}` });
    expect(await prisma.invoicePaymentFailure.count({ where: { stripeInvoiceId: (event.data as { object: { id: string } }).object.id } })).toBe(0);
  });

  it("ignores invoices that belong to no subscription", async () => {
    const invoice = { id: uniqueId("in"), object: "invoice", attempt_count: 1, next_payment_attempt: null, parent: null };
    expect((await applyJob(prisma, stripeJob(stripeEvent("invoice.payment_failed", invoice)))).status).toBe("ignored");
  });
});
