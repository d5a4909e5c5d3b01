import { createPrismaClient, type PrismaClient } from "@wh/db";
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
import { UnrecoverableError } from "bullmq";
import { applyWebhookEvent } from "./apply-webhook-event";
import { recordFailure } from "./ledger/record-failure";
import { applyJob, clerkJob, stripeJob } from "./test-support/apply-job";

let prisma: PrismaClient;

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 12 });
});
afterAll(async () => {
  await prisma.$disconnect();
});

const ledger = (provider: "stripe" | "clerk", eventId: string) =>
  prisma.webhookEvent.findUniqueOrThrow({ where: { provider_eventId: { provider, eventId } } });
const userByClerkId = (clerkUserId: string) => prisma.user.findUnique({ where: { clerkUserId } });

describe("Clerk user events", () => {
  it("creates the user; a re-run after commit (crash before BullMQ completed it) is a no-op", async () => {
    const id = uniqueId("user");
    const job = clerkJob(clerkUserEvent("user.created", { id, email: "ada@example.com" }));
    expect(await applyJob(prisma, job)).toEqual({ status: "completed", alreadySettled: false });
    expect(await applyJob(prisma, job)).toEqual({ status: "completed", alreadySettled: true });

    const user = await userByClerkId(id);
    expect(user).toMatchObject({ email: "ada@example.com", firstName: "Ada", currentPlan: null, deletedAt: null });
    expect(await ledger("clerk", job.eventId)).toMatchObject({ status: "completed", attempts: 1, objectId: id });
  });

  it("applies a newer update and skips an older one as stale", async () => {
    const id = uniqueId("user");
    const t0 = Date.now() - 60_000;
    await applyJob(prisma, clerkJob(clerkUserEvent("user.created", { id, email: "a@example.com" }, t0)));
    await applyJob(prisma, clerkJob(clerkUserEvent("user.updated", { id, email: "c@example.com" }, t0 + 2_000)));
    const stale = clerkJob(clerkUserEvent("user.updated", { id, email: "b@example.com" }, t0 + 1_000));
    expect((await applyJob(prisma, stale)).status).toBe("skipped_stale");
    expect((await userByClerkId(id))?.email).toBe("c@example.com");
  });

  it("records an identical snapshot under a new delivery id as skipped_duplicate", async () => {
    const id = uniqueId("user");
    const t0 = Date.now() - 60_000;
    await applyJob(prisma, clerkJob(clerkUserEvent("user.created", { id, email: "a@example.com" }, t0)));
    const again = clerkJob(clerkUserEvent("user.updated", { id, email: "a@example.com" }, t0 + 1_000));
    expect((await applyJob(prisma, again)).status).toBe("skipped_duplicate");
  });

  it("turns a deleted user into a tombstone without personal data, never resurrected", async () => {
    const id = uniqueId("user");
    const t0 = Date.now() - 60_000;
    const created = clerkJob(clerkUserEvent("user.created", { id, email: "gone@example.com" }, t0));
    await applyJob(prisma, created);
    await applyJob(prisma, clerkJob(clerkUserDeletedEvent(id, t0 + 5_000)));
    const lateUpdate = clerkJob(clerkUserEvent("user.updated", { id, email: "back@example.com" }, t0 + 9_000));
    expect((await applyJob(prisma, lateUpdate)).status).toBe("skipped_stale");

    const user = await userByClerkId(id);
    expect(user).toMatchObject({ email: null, firstName: null, lastName: null, currentPlan: null });
    expect(user?.deletedAt).not.toBeNull();
    const stored = await prisma.webhookEvent.findMany({ where: { provider: "clerk", objectId: id } });
    expect(stored).toHaveLength(3);
    for (const row of stored) expect(JSON.stringify(row.payload)).not.toMatch(/@example\.com|Ada|Lovelace/);
  });

  it("strips personal data from a late event's ledger row even when an earlier attempt stored it", async () => {
    const id = uniqueId("user");
    const t0 = Date.now() - 60_000;
    await applyJob(prisma, clerkJob(clerkUserDeletedEvent(id, t0 + 5_000)));
    const late = clerkJob(clerkUserEvent("user.updated", { id, email: "late-pii@example.com" }, t0));
    await recordFailure(prisma, late, { attempts: 1, error: "Error: transient", dead: false });
    expect(JSON.stringify((await ledger("clerk", late.eventId)).payload)).toContain("late-pii@example.com");
    expect((await applyJob(prisma, late, 2)).status).toBe("skipped_stale");
    expect(JSON.stringify((await ledger("clerk", late.eventId)).payload)).not.toContain("late-pii@example.com");
  });

  it("keeps a tombstone for a user deleted before we ever saw it", async () => {
    const id = uniqueId("user");
    const t0 = Date.now() - 60_000;
    await applyJob(prisma, clerkJob(clerkUserDeletedEvent(id, t0 + 1_000)));
    const lateCreate = clerkJob(clerkUserEvent("user.created", { id, email: "x@example.com" }, t0));
    expect((await applyJob(prisma, lateCreate)).status).toBe("skipped_stale");
    expect((await userByClerkId(id))?.deletedAt).not.toBeNull();
  });

  it("treats a user payload without an id as poison", async () => {
    const event = clerkUserEvent("user.created", { id: uniqueId("user"), email: "p@example.com" });
    (event.data as Record<string, unknown>).id = 42;
    await expect(applyJob(prisma, clerkJob(event))).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe("transactions and timeouts", () => {
  it("rolls back an attempt that exceeds its time budget, and the retry applies it", async () => {
    const id = uniqueId("user");
    const job = clerkJob(clerkUserEvent("user.created", { id, email: "slow@example.com" }));
    const blocker = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
    let release: () => void = () => undefined;
    let acquired: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lockTaken = new Promise<void>((resolve) => {
      acquired = resolve;
    });
    // Another transaction holds the user's entity lock, so the attempt blocks inside Postgres.
    const holder = blocker.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`clerk_user:${id}`}, 0))`;
        acquired();
        await held;
      },
      { timeout: 30_000 },
    );
    try {
      await lockTaken;
      const attempt = applyWebhookEvent(prisma, job, { timeoutMs: 300, stripeLivemode: false, attempt: 1 });
      await expect(attempt).rejects.toThrow(/statement timeout|Transaction|expired|timeout/i);
      expect(await userByClerkId(id)).toBeNull();
      expect(await prisma.webhookEvent.findFirst({ where: { eventId: job.eventId } })).toBeNull();
    } finally {
      release();
      await holder;
      await blocker.$disconnect();
    }
    expect((await applyJob(prisma, job, 2)).status).toBe("completed");
    expect(await ledger("clerk", job.eventId)).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("stops between steps when the job is aborted, leaving nothing behind", async () => {
    const job = clerkJob(clerkUserEvent("user.created", { id: uniqueId("user"), email: "abort@example.com" }));
    const controller = new AbortController();
    controller.abort(new Error("job aborted"));
    await expect(
      applyWebhookEvent(prisma, job, { timeoutMs: 5_000, stripeLivemode: false, attempt: 1, signal: controller.signal }),
    ).rejects.toThrow("job aborted");
    expect(await prisma.webhookEvent.findFirst({ where: { eventId: job.eventId } })).toBeNull();
  });
});

describe("Stripe checkout and subscriptions", () => {
  const created = () => Math.floor(Date.now() / 1000) - 3_600;

  async function subscribe(plan: string, status = "active", at = created()) {
    const clerkUserId = uniqueId("user");
    const customerId = uniqueId("cus");
    const subscriptionId = uniqueId("sub");
    await applyJob(prisma, stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: at })));
    await applyJob(
      prisma,
      stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: subscriptionId, customerId, status, plan }), { created: at + 1 })),
    );
    return { clerkUserId, customerId, subscriptionId, at };
  }

  it("links the customer at checkout and grants the subscription's plan", async () => {
    const { clerkUserId, customerId, subscriptionId } = await subscribe("pro");
    const user = await userByClerkId(clerkUserId);
    expect(user).toMatchObject({ stripeCustomerId: customerId, currentPlan: "pro" });
    const sub = await prisma.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: subscriptionId } });
    expect(sub).toMatchObject({ userId: user?.id, status: "active", plan: "pro", cancelAtPeriodEnd: false });
    expect(sub.currentPeriodEnd?.getTime()).toBe((1_767_225_600 + 30 * 86_400) * 1000);
  });

  it("reads the billing period from the legacy shape too", async () => {
    const clerkUserId = uniqueId("user");
    const subscriptionId = uniqueId("sub");
    const object = subscriptionObject({
      id: subscriptionId, customerId: uniqueId("cus"), status: "active", plan: "starter", clerkUserId,
      shape: "legacy", periodStart: 1_800_000_000, periodEnd: 1_802_592_000,
    });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", object)));
    const sub = await prisma.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: subscriptionId } });
    expect(sub.currentPeriodStart?.getTime()).toBe(1_800_000_000_000);
    expect(sub.currentPeriodEnd?.getTime()).toBe(1_802_592_000_000);
  });

  it.each([
    ["trialing", "pro"],
    ["past_due", "pro"],
    ["unpaid", null],
    ["canceled", null],
    ["incomplete", null],
    ["incomplete_expired", null],
    ["paused", null],
  ])("a %s subscription leaves current_plan = %s", async (status, plan) => {
    const { clerkUserId, customerId, subscriptionId, at } = await subscribe("pro");
    const object = subscriptionObject({ id: subscriptionId, customerId, status, plan: "pro" });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.updated", object, { created: at + 10 })));
    expect((await userByClerkId(clerkUserId))?.currentPlan).toBe(plan);
  });

  it("a late event about an old canceled subscription does not clear a newer one", async () => {
    const { clerkUserId, customerId, subscriptionId: oldSub, at } = await subscribe("starter");
    const newSub = uniqueId("sub");
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: newSub, customerId, status: "active", plan: "business" }), { created: at + 20 })));
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.deleted", subscriptionObject({ id: oldSub, customerId, status: "canceled", plan: "starter" }), { created: at + 5 })));
    expect((await userByClerkId(clerkUserId))?.currentPlan).toBe("business");
  });

  it("skips an older subscription event as stale and never revives a canceled one", async () => {
    const { clerkUserId, customerId, subscriptionId, at } = await subscribe("pro");
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.deleted", subscriptionObject({ id: subscriptionId, customerId, status: "canceled", plan: "pro" }), { created: at + 30 })));
    const stale = stripeJob(stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created: at + 10 }));
    expect((await applyJob(prisma, stale)).status).toBe("skipped_stale");
    const revive = stripeJob(stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created: at + 40 }));
    expect((await applyJob(prisma, revive)).status).toBe("skipped_stale");
    expect((await userByClerkId(clerkUserId))?.currentPlan).toBeNull();
  });

  it("records an identical snapshot sent under a second event id as skipped_duplicate", async () => {
    const { customerId, subscriptionId, at } = await subscribe("pro");
    const same = stripeJob(stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), { created: at + 1 }));
    expect((await applyJob(prisma, same)).status).toBe("skipped_duplicate");
  });

  it("creates a placeholder user from metadata when Stripe arrives before Clerk, and Clerk fills it in", async () => {
    const clerkUserId = uniqueId("user");
    const sub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "pro", clerkUserId });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", sub)));
    expect(await userByClerkId(clerkUserId)).toMatchObject({ email: null, currentPlan: "pro" });
    await applyJob(prisma, clerkJob(clerkUserEvent("user.created", { id: clerkUserId, email: "late@example.com" })));
    expect(await userByClerkId(clerkUserId)).toMatchObject({ email: "late@example.com", currentPlan: "pro" });
  });

  it("survives Clerk's user.created racing Stripe's placeholder insert", async () => {
    for (let round = 0; round < 10; round += 1) {
      const clerkUserId = uniqueId("user");
      const sub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "starter", clerkUserId });
      const results = await Promise.all([
        applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", sub))),
        applyJob(prisma, clerkJob(clerkUserEvent("user.created", { id: clerkUserId, email: "race@example.com" }))),
      ]);
      expect(results.map((r) => r.status)).toEqual(["completed", "completed"]);
      expect(await userByClerkId(clerkUserId)).toMatchObject({ email: "race@example.com", currentPlan: "starter" });
    }
  });

  it("applies concurrent events about two subscriptions of one user one after the other (an upgrade)", async () => {
    const at = created();
    const rounds = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { clerkUserId, customerId, subscriptionId } = await subscribe("starter", "active", at);
        const upgrade = subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "business" });
        const cancelOld = subscriptionObject({ id: subscriptionId, customerId, status: "canceled", plan: "starter" });
        await Promise.all([
          applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", upgrade, { created: at + 10 }))),
          applyJob(prisma, stripeJob(stripeEvent("customer.subscription.deleted", cancelOld, { created: at + 10 }))),
        ]);
        return (await userByClerkId(clerkUserId))?.currentPlan;
      }),
    );
    expect(rounds).toEqual(Array(20).fill("business"));
  });

  it("never leaves a plan on a user deleted while a subscription event is applied", async () => {
    const at = created();
    const plans = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { clerkUserId, customerId, subscriptionId } = await subscribe("starter", "active", at);
        const upgraded = subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "business" });
        await Promise.all([
          applyJob(prisma, stripeJob(stripeEvent("customer.subscription.updated", upgraded, { created: at + 10 }))),
          applyJob(prisma, clerkJob(clerkUserDeletedEvent(clerkUserId))),
        ]);
        return (await userByClerkId(clerkUserId))?.currentPlan;
      }),
    );
    expect(plans).toEqual(Array(20).fill(null));
  });

  it("keeps one tombstone without a plan when a user.deleted for a user never seen races Stripe's placeholder insert", async () => {
    for (let round = 0; round < 10; round += 1) {
      const clerkUserId = uniqueId("user");
      const sub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "pro", clerkUserId });
      const deleted = clerkJob(clerkUserDeletedEvent(clerkUserId));
      await Promise.all([applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", sub))), applyJob(prisma, deleted)]);
      const user = await userByClerkId(clerkUserId);
      expect(user).toMatchObject({ currentPlan: null, email: null });
      expect(user?.deletedAt).not.toBeNull();
      expect(await ledger("clerk", deleted.eventId)).toMatchObject({ status: "completed", userId: user?.id });
    }
  });

  it("applies a user's checkout, invoice and subscription events at once without a deadlock (one lock order)", async () => {
    const at = created();
    const rounds = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const { clerkUserId, customerId, subscriptionId } = await subscribe("starter", "active", at);
        const event = (type: string, object: Record<string, unknown>, seconds: number) =>
          applyJob(prisma, stripeJob(stripeEvent(type, object, { created: at + seconds })));
        const results = await Promise.all([
          event("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), 10),
          event("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "business" }), 10),
          event("invoice.payment_failed", invoiceObject({ subscriptionId }), 10),
          event("invoice.paid", invoiceObject({ subscriptionId }), 11),
          event("customer.subscription.updated", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }), 12),
        ]);
        return { statuses: results.map((result) => result.status), plan: (await userByClerkId(clerkUserId))?.currentPlan };
      }),
    );
    expect(rounds.map((round) => round.plan)).toEqual(Array(10).fill("business"));
    expect(rounds.flatMap((round) => round.statuses).filter((status) => status === "deferred")).toEqual([]);
  });

  it("keeps a granting subscription's unknown price key as the plan, so the validator can deny it by name", async () => {
    const clerkUserId = uniqueId("user");
    const sub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "enterprise_legacy", clerkUserId });
    await applyJob(prisma, stripeJob(stripeEvent("customer.subscription.created", sub)));
    expect((await userByClerkId(clerkUserId))?.currentPlan).toBe("enterprise_legacy");
  });

  it("keeps every customer a user checked out with, pointing users.stripe_customer_id at the newest", async () => {
    const clerkUserId = uniqueId("user");
    const [first, second] = [uniqueId("cus"), uniqueId("cus")];
    const at = created();
    await applyJob(prisma, stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId: second }), { created: at + 5 })));
    await applyJob(prisma, stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId: first }), { created: at })));
    const user = await prisma.user.findUniqueOrThrow({ where: { clerkUserId }, include: { customers: true } });
    expect(user.stripeCustomerId).toBe(second);
    expect(user.customers.map((c) => c.stripeCustomerId).sort()).toEqual([first, second].sort());
  });

  it("defers an event whose user cannot be found yet: its payload and wait key are kept, nothing else is written", async () => {
    const customerId = uniqueId("cus");
    const subscriptionId = uniqueId("sub");
    const event = stripeEvent("customer.subscription.created", subscriptionObject({ id: subscriptionId, customerId, status: "active", plan: "pro" }));
    expect(await applyJob(prisma, stripeJob(event))).toEqual({ status: "deferred", alreadySettled: false, waitKey: `stripe_customer:${customerId}` });
    expect(await ledger("stripe", event.id as string)).toMatchObject({
      status: "deferred",
      waitKey: `stripe_customer:${customerId}`,
      payload: event,
      lastError: expect.stringContaining("not linked"),
    });
    expect(await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })).toBeNull();
  });

  it("treats a checkout that names no user as poison: nothing could ever link its customer", async () => {
    const event = stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: null, customerId: uniqueId("cus") }));
    const attempt = applyJob(prisma, stripeJob(event));
    await expect(attempt).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(attempt).rejects.toThrow(/names no Clerk user .*can never be linked/);
  });

  it("records unknown event types and other-mode events as ignored", async () => {
    const unknown = stripeJob(stripeEvent("charge.refunded", { id: uniqueId("ch") }));
    expect((await applyJob(prisma, unknown)).status).toBe("ignored");
    const live = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: uniqueId("cus") }), { livemode: true }));
    expect((await applyJob(prisma, live)).status).toBe("ignored");
    expect(await ledger("stripe", live.eventId)).toMatchObject({ status: "ignored", lastError: expect.stringContaining("livemode") });
  });

  it("re-evaluates an ignored other-mode event when it runs again, and applies it once the mode matches", async () => {
    const clerkUserId = uniqueId("user");
    const customerId = uniqueId("cus");
    const live = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { livemode: true }));
    expect(await applyJob(prisma, live)).toEqual({ status: "ignored", alreadySettled: false, ignoredReason: "other_stripe_mode" });
    // Still the wrong mode: evaluated again, still ignored, still no effect.
    expect(await applyJob(prisma, live)).toEqual({ status: "ignored", alreadySettled: false, ignoredReason: "other_stripe_mode", previousStatus: "ignored" });
    expect(await userByClerkId(clerkUserId)).toBeNull();

    // STRIPE_LIVEMODE fixed, then replayed (or re-delivered): applied, and only once.
    const liveDeployment = { timeoutMs: 10_000, stripeLivemode: true, attempt: 1 };
    expect(await applyWebhookEvent(prisma, live, liveDeployment)).toEqual({
      status: "completed",
      alreadySettled: false,
      previousStatus: "ignored",
      provides: `stripe_customer:${customerId}`,
    });
    expect(await applyWebhookEvent(prisma, live, liveDeployment)).toEqual({ status: "completed", alreadySettled: true });
    expect(await ledger("stripe", live.eventId)).toMatchObject({ status: "completed", lastError: null });
    expect((await userByClerkId(clerkUserId))?.stripeCustomerId).toBe(customerId);
  });

  it("names why an event was ignored with a fixed reason", async () => {
    expect((await applyJob(prisma, stripeJob(stripeEvent("charge.refunded", { id: uniqueId("ch") })))).ignoredReason).toBe("unhandled_type");
    const noCustomer = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId: null })));
    expect((await applyJob(prisma, noCustomer)).ignoredReason).toBe("not_applicable");
  });

  it("treats a subscription payload that cannot apply as poison", async () => {
    const event = stripeEvent("customer.subscription.updated", { id: uniqueId("sub"), status: "active" });
    await expect(applyJob(prisma, stripeJob(event))).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe("search keys in the ledger", () => {
  it("stores our user's id and the Stripe customer on settled Stripe and Clerk events", async () => {
    const clerkUserId = uniqueId("user");
    const customerId = uniqueId("cus");
    const at = Math.floor(Date.now() / 1000) - 3_600;
    const userCreated = clerkJob(clerkUserEvent("user.created", { id: clerkUserId, email: "keys@example.com" }));
    const checkout = stripeJob(stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId, customerId }), { created: at }));
    const subscription = stripeJob(
      stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" }), { created: at + 1 }),
    );
    const subscriptionId = (subscription.payload.data as { object: { id: string } }).object.id;
    const failed = stripeJob(stripeEvent("invoice.payment_failed", invoiceObject({ subscriptionId }), { created: at + 2 }));
    const paid = stripeJob(stripeEvent("invoice.paid", invoiceObject({ subscriptionId }), { created: at + 3 }));
    for (const job of [userCreated, checkout, subscription, failed, paid]) await applyJob(prisma, job);
    const user = await userByClerkId(clerkUserId);

    expect(await ledger("clerk", userCreated.eventId)).toMatchObject({ userId: user?.id, stripeCustomerId: null });
    expect(await ledger("stripe", checkout.eventId)).toMatchObject({ userId: user?.id, stripeCustomerId: customerId });
    expect(await ledger("stripe", subscription.eventId)).toMatchObject({ status: "completed", userId: user?.id, stripeCustomerId: customerId });
    expect(await ledger("stripe", failed.eventId)).toMatchObject({ status: "completed", userId: user?.id });
    expect(await ledger("stripe", paid.eventId)).toMatchObject({ status: "completed", userId: user?.id });
  });

  it("stores the Stripe customer of deferred and dead events, whose user is not known", async () => {
    const customerId = uniqueId("cus");
    const deferred = stripeJob(stripeEvent("customer.subscription.created", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" })));
    await applyJob(prisma, deferred);
    const dead = stripeJob(stripeEvent("customer.subscription.updated", subscriptionObject({ id: uniqueId("sub"), customerId, status: "active", plan: "pro" })));
    await recordFailure(prisma, dead, { attempts: 3, error: "boom", dead: true });

    expect(await ledger("stripe", deferred.eventId)).toMatchObject({ status: "deferred", userId: null, stripeCustomerId: customerId });
    expect(await ledger("stripe", dead.eventId)).toMatchObject({ status: "dead", userId: null, stripeCustomerId: customerId });
  });
});
