import {
  clerkUserEvent,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  TEST_CLERK_SECRET,
  TEST_STRIPE_SECRET,
  uniqueId,
} from "@wh/testkit";

/**
 * One provider event of a fault run, and the audited entities its effect writes. Every event
 * touches entities of its own, so "applied exactly once" is visible per entity in the audit.
 */
export interface FaultEvent {
  provider: "stripe" | "clerk";
  /** Stripe `event.id`; Clerk the `svix-id`, the same on every re-delivery. */
  eventId: string;
  /** Audit keys (see fault-database.ts): `ledger:<provider>:<event id>`, `user:<clerk id>`, `subscription:<stripe id>`. */
  entities: string[];
  payload: Record<string, unknown>;
}

/** Clerk `user.created` of a new user: one INSERT into users, one settled ledger row. */
export function clerkSignup(): FaultEvent {
  const clerkUserId = uniqueId("user");
  const eventId = uniqueId("msg");
  return {
    provider: "clerk",
    eventId,
    entities: [`ledger:clerk:${eventId}`, `user:${clerkUserId}`],
    payload: clerkUserEvent("user.created", { id: clerkUserId, email: `${clerkUserId}@example.com` }),
  };
}

/**
 * Stripe `customer.subscription.created` of a new subscription whose Clerk user we have not
 * seen: one transaction writes the subscription and a placeholder user (and its plan).
 */
export function stripeSubscriptionCreated(): FaultEvent {
  const clerkUserId = uniqueId("user");
  const subscriptionId = uniqueId("sub");
  const object = subscriptionObject({
    id: subscriptionId,
    customerId: uniqueId("cus"),
    status: "active",
    plan: "pro",
    clerkUserId,
  });
  const payload = stripeEvent("customer.subscription.created", object);
  return {
    provider: "stripe",
    eventId: payload.id as string,
    entities: [`ledger:stripe:${payload.id as string}`, `subscription:${subscriptionId}`, `user:${clerkUserId}`],
    payload,
  };
}

/** `count` events, one Stripe event in every `stripeEvery`, the rest Clerk signups. */
export function mixedEvents(count: number, stripeEvery = 5): FaultEvent[] {
  return Array.from({ length: count }, (_, index) =>
    index % stripeEvery === stripeEvery - 1 ? stripeSubscriptionCreated() : clerkSignup(),
  );
}

export const eventKey = (event: Pick<FaultEvent, "provider" | "eventId">): string => `${event.provider}:${event.eventId}`;

/** The HTTP status of one delivery signed now (as the provider signs each attempt), or "error". */
export async function deliver(receiverUrl: string, event: FaultEvent, timeoutMs = 10_000): Promise<number | "error"> {
  const { body, headers } =
    event.provider === "stripe"
      ? signStripe(event.payload, TEST_STRIPE_SECRET)
      : signClerk(event.payload, TEST_CLERK_SECRET, { msgId: event.eventId });
  try {
    const response = await fetch(`${receiverUrl}/webhooks/${event.provider}`, {
      method: "POST",
      body,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "error";
  }
}
