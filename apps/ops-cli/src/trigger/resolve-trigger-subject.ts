import type { PrismaClient } from "@wh/db";
import { FIXTURE_EMAIL_DOMAIN, uniqueId } from "@wh/provider-events";
import type { TriggerArgs } from "./trigger-args";
import { TRIGGER_EVENTS } from "./trigger-events";

/** Who and what an event is about, from the flags and what Postgres already holds. */
export interface TriggerSubject {
  clerkUserId: string;
  /** For Clerk user events: the primary email the event carries. */
  email: string;
  /** For Stripe events: the user's customer (a new one when the user has none yet). */
  customerId: string;
  /** For subscription and invoice events. */
  subscriptionId?: string;
  /**
   * The event's time in milliseconds: now, or just past the entity's watermark when an event
   * was applied in the same second (Stripe's `created` has 1 s resolution), so that a trigger
   * right after another is never ordered before it.
   */
  eventAtMs: number;
}

export async function resolveTriggerSubject(prisma: PrismaClient, args: TriggerArgs, now: Date): Promise<TriggerSubject> {
  const byEmail = args.user.includes("@");
  const stored = byEmail
    ? await prisma.user.findFirst({ where: { email: args.user, deletedAt: null }, orderBy: { createdAt: "desc" } })
    : await prisma.user.findUnique({ where: { clerkUserId: args.user } });
  if (byEmail && !stored && args.event !== "user.created") {
    throw new Error(`no user with the email ${args.user}: pass the Clerk user id (user_…), or trigger user.created first`);
  }
  const clerkUserId = stored?.clerkUserId ?? (byEmail ? uniqueId("user") : args.user);
  const email = args.email ?? (byEmail ? args.user : undefined) ?? stored?.email ?? `${clerkUserId.toLowerCase()}@${FIXTURE_EMAIL_DOMAIN}`;
  const customerId = args.customer ?? stored?.stripeCustomerId ?? uniqueId("cus");
  const spec = TRIGGER_EVENTS[args.event];

  if (spec.provider === "clerk") {
    const watermark = stored?.clerkEventAt?.getTime() ?? 0;
    return { clerkUserId, email, customerId, eventAtMs: Math.max(now.getTime(), watermark + 1) };
  }

  let subscriptionId = args.subscription;
  if (subscriptionId === undefined && args.event === "customer.subscription.created") subscriptionId = uniqueId("sub");
  if (subscriptionId === undefined && spec.needsSubscription) {
    const latest = stored
      ? await prisma.subscription.findFirst({ where: { userId: stored.id }, orderBy: { updatedAt: "desc" } })
      : null;
    if (!latest) {
      throw new Error(`${args.user} has no subscription yet: trigger customer.subscription.created first, or pass --subscription sub_…`);
    }
    subscriptionId = latest.stripeSubscriptionId;
  }
  const subscription = subscriptionId
    ? await prisma.subscription.findUnique({ where: { stripeSubscriptionId: subscriptionId } })
    : null;
  const watermarkSeconds = subscription ? Math.floor(subscription.lastEventAt.getTime() / 1_000) : 0;
  const eventAtMs = Math.max(Math.floor(now.getTime() / 1_000), watermarkSeconds + 1) * 1_000;
  return { clerkUserId, email, customerId, subscriptionId, eventAtMs };
}
