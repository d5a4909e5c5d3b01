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

const t0 = Math.floor(Date.now() / 1000) - 3_600;

interface Ids {
  clerkUserId: string;
  customerId: string;
  subscriptionId: string;
}

async function subscriptionEvent(ids: Ids, type: string, status: string, at: number): Promise<void> {
  const object = subscriptionObject({ id: ids.subscriptionId, customerId: ids.customerId, clerkUserId: ids.clerkUserId, status, plan: "pro" });
  await applyJob(prisma, stripeJob(stripeEvent(type, object, { created: at })));
}

async function paymentFailed(subscriptionId: string, at: number, final: boolean): Promise<void> {
  const invoice = invoiceObject({ subscriptionId, attemptCount: final ? 4 : 1, ...(final ? { nextPaymentAttempt: null } : {}) });
  expect((await applyJob(prisma, stripeJob(stripeEvent("invoice.payment_failed", invoice, { created: at })))).status).toBe("completed");
}

async function state(ids: Ids) {
  const subscription = await prisma.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: ids.subscriptionId } });
  const user = await prisma.user.findUniqueOrThrow({ where: { clerkUserId: ids.clerkUserId } });
  return { status: subscription.status, plan: user.currentPlan };
}

/** How each case brings the subscription to its status before the paid invoice arrives at t0 + 20. */
type Setup = (ids: Ids) => Promise<void>;

const createdAs = (status: string): Setup => (ids) => subscriptionEvent(ids, "customer.subscription.created", status, t0);
const afterFailure = (final: boolean): Setup => async (ids) => {
  await createdAs("active")(ids);
  await paymentFailed(ids.subscriptionId, t0 + 10, final);
};

describe("invoice.paid over every subscription status", () => {
  it.each<[string, Setup, string, string]>([
    // [case, setup, ledger status, subscription status afterwards]
    ["past_due set by a recorded payment failure", afterFailure(false), "completed", "active"],
    ["unpaid set by a recorded final payment failure", afterFailure(true), "completed", "active"],
    ["past_due set by a subscription event, no failure recorded", createdAs("past_due"), "ignored", "past_due"],
    ["unpaid set by a subscription event, no failure recorded", createdAs("unpaid"), "ignored", "unpaid"],
    ["active", createdAs("active"), "skipped_duplicate", "active"],
    ["trialing (a trial's $0 invoice is paid at signup)", createdAs("trialing"), "ignored", "trialing"],
    ["incomplete", createdAs("incomplete"), "ignored", "incomplete"],
    ["paused", createdAs("paused"), "ignored", "paused"],
    ["canceled (terminal)", createdAs("canceled"), "skipped_stale", "canceled"],
    ["incomplete_expired (terminal)", createdAs("incomplete_expired"), "skipped_stale", "incomplete_expired"],
    [
      "paused after a recorded payment failure",
      async (ids) => {
        await afterFailure(false)(ids);
        await subscriptionEvent(ids, "customer.subscription.updated", "paused", t0 + 15);
      },
      "ignored",
      "paused",
    ],
    [
      "past_due while only another subscription has a recorded failure",
      async (ids) => {
        await createdAs("past_due")(ids);
        const other = { ...ids, subscriptionId: uniqueId("sub") };
        await subscriptionEvent(other, "customer.subscription.created", "active", t0);
        await paymentFailed(other.subscriptionId, t0 + 10, true);
      },
      "ignored",
      "past_due",
    ],
  ])("%s", async (_case, setup, ledgerStatus, statusAfter) => {
    const ids = { clerkUserId: uniqueId("user"), customerId: uniqueId("cus"), subscriptionId: uniqueId("sub") };
    await setup(ids);
    const before = await state(ids);

    const paid = stripeEvent("invoice.paid", invoiceObject({ subscriptionId: ids.subscriptionId }), { created: t0 + 20 });
    const result = await applyJob(prisma, stripeJob(paid));

    expect(result.status).toBe(ledgerStatus);
    const after = await state(ids);
    expect(after.status).toBe(statusAfter);
    if (ledgerStatus === "completed") expect(after.plan).toBe("pro");
    else expect(after).toEqual(before);
  });

  it("never overrides newer state: a paid invoice older than the failure it would lift is stale", async () => {
    const ids = { clerkUserId: uniqueId("user"), customerId: uniqueId("cus"), subscriptionId: uniqueId("sub") };
    await afterFailure(true)(ids);

    const late = stripeEvent("invoice.paid", invoiceObject({ subscriptionId: ids.subscriptionId }), { created: t0 + 5 });
    expect((await applyJob(prisma, stripeJob(late))).status).toBe("skipped_stale");
    expect(await state(ids)).toEqual({ status: "unpaid", plan: null });
  });
});
