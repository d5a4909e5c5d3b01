import { createPrismaClient, type PrismaClient } from "@wh/db";
import { testServers, uniqueId } from "@wh/testkit";
import type { TriggerArgs } from "./trigger-args";
import { resolveTriggerSubject } from "./resolve-trigger-subject";

let prisma: PrismaClient;
const users: string[] = [];

beforeAll(() => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
});

afterAll(async () => {
  await prisma.user.deleteMany({ where: { clerkUserId: { in: users } } });
  await prisma.$disconnect();
});

const args = (overrides: Partial<TriggerArgs> & Pick<TriggerArgs, "event" | "user">): TriggerArgs => ({
  receiverUrl: "http://127.0.0.1:3000",
  timeoutMs: 1_000,
  ...overrides,
});

async function storedUser(options: { clerkEventAt?: Date; customerId?: string } = {}) {
  const clerkUserId = uniqueId("user");
  users.push(clerkUserId);
  return prisma.user.create({
    data: { clerkUserId, email: `${clerkUserId}@example.com`, clerkEventAt: options.clerkEventAt, stripeCustomerId: options.customerId },
  });
}

describe("resolveTriggerSubject", () => {
  it("moves a Stripe event past its subscription's watermark when one was applied in the same second", async () => {
    const now = new Date("2026-11-27T12:00:00.400Z");
    const user = await storedUser({ customerId: uniqueId("cus") });
    const subscriptionId = uniqueId("sub");
    await prisma.subscription.create({
      data: {
        stripeSubscriptionId: subscriptionId,
        userId: user.id,
        stripeCustomerId: user.stripeCustomerId!,
        status: "active",
        plan: "pro",
        lastEventAt: new Date("2026-11-27T12:00:00.000Z"),
        lastEventId: uniqueId("evt"),
      },
    });

    const updated = await resolveTriggerSubject(prisma, args({ event: "customer.subscription.updated", user: user.clerkUserId, plan: "business" }), now);
    const created = await resolveTriggerSubject(prisma, args({ event: "customer.subscription.created", user: user.clerkUserId, plan: "pro" }), now);

    expect(updated).toMatchObject({ clerkUserId: user.clerkUserId, customerId: user.stripeCustomerId, subscriptionId });
    expect(new Date(updated.eventAtMs).toISOString()).toBe("2026-11-27T12:00:01.000Z");
    expect(created.subscriptionId).toMatch(/^sub_/);
    expect(created.subscriptionId).not.toBe(subscriptionId);
    expect(new Date(created.eventAtMs).toISOString()).toBe("2026-11-27T12:00:00.000Z");
  });

  it("moves a Clerk event past the user's Clerk watermark", async () => {
    const now = new Date("2026-11-27T12:00:00.000Z");
    const user = await storedUser({ clerkEventAt: new Date("2026-11-27T12:00:05.000Z") });

    const subject = await resolveTriggerSubject(prisma, args({ event: "user.updated", user: user.clerkUserId }), now);

    expect(subject).toMatchObject({ clerkUserId: user.clerkUserId, email: user.email, eventAtMs: Date.parse("2026-11-27T12:00:05.001Z") });
  });

  it("finds a user by email; a new email makes up a user only for user.created", async () => {
    const user = await storedUser();
    const newEmail = `${uniqueId("new")}@example.com`;

    const found = await resolveTriggerSubject(prisma, args({ event: "checkout.session.completed", user: user.email! }), new Date());
    const fresh = await resolveTriggerSubject(prisma, args({ event: "user.created", user: newEmail }), new Date());

    expect(found).toMatchObject({ clerkUserId: user.clerkUserId });
    expect(found.customerId).toMatch(/^cus_/);
    expect(fresh).toMatchObject({ clerkUserId: expect.stringMatching(/^user_/), email: newEmail });
    await expect(resolveTriggerSubject(prisma, args({ event: "user.updated", user: newEmail }), new Date())).rejects.toThrow(
      `no user with the email ${newEmail}: pass the Clerk user id (user_…), or trigger user.created first`,
    );
  });
});
