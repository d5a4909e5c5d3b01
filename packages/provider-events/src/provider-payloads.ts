import { randomUUID } from "node:crypto";

/** Builders for provider payloads in the shapes the providers send. Unique ids by default. */

/**
 * The personal data the fixtures carry: every fixture email is at this domain, and a Clerk user
 * without names gets these. Test logs are scanned for them (`app-logs.ts`); none may appear.
 */
export const FIXTURE_EMAIL_DOMAIN = "example.com";
export const FIXTURE_NAMES = { firstName: "Ada", lastName: "Lovelace" } as const;

export const uniqueId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 24)}`;

export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number; livemode?: boolean } = {},
): Record<string, unknown> {
  return {
    id: options.id ?? uniqueId("evt"),
    object: "event",
    api_version: "2025-03-31.basil",
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: options.livemode ?? false,
    type,
    data: { object },
  };
}

export function checkoutSession(options: { clerkUserId: string | null; customerId: string | null; id?: string }) {
  return {
    id: options.id ?? uniqueId("cs_test"),
    object: "checkout.session",
    client_reference_id: options.clerkUserId,
    customer: options.customerId,
    mode: "subscription",
    metadata: {},
  };
}

export interface SubscriptionOptions {
  id: string;
  customerId: string;
  status: string;
  plan: string;
  periodStart?: number;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  clerkUserId?: string;
  /** `basil` puts the billing period on the items; `legacy` on the subscription. */
  shape?: "basil" | "legacy";
}

export function subscriptionObject(options: SubscriptionOptions): Record<string, unknown> {
  const start = options.periodStart ?? 1_767_225_600;
  const end = options.periodEnd ?? start + 30 * 86_400;
  const period = { current_period_start: start, current_period_end: end };
  const basil = (options.shape ?? "basil") === "basil";
  return {
    id: options.id,
    object: "subscription",
    customer: options.customerId,
    status: options.status,
    cancel_at_period_end: options.cancelAtPeriodEnd ?? false,
    metadata: options.clerkUserId ? { clerk_user_id: options.clerkUserId } : {},
    ...(basil ? {} : period),
    items: {
      object: "list",
      data: [{ id: uniqueId("si"), price: { id: uniqueId("price"), lookup_key: options.plan }, ...(basil ? period : {}) }],
    },
  };
}

export function clerkUserEvent(
  type: "user.created" | "user.updated",
  user: { id: string; email: string; firstName?: string; lastName?: string },
  timestampMs: number = Date.now(),
): Record<string, unknown> {
  return {
    object: "event",
    type,
    timestamp: timestampMs,
    instance_id: "ins_test",
    data: {
      id: user.id,
      object: "user",
      email_addresses: [{ id: "idn_primary", email_address: user.email }],
      primary_email_address_id: "idn_primary",
      first_name: user.firstName ?? FIXTURE_NAMES.firstName,
      last_name: user.lastName ?? FIXTURE_NAMES.lastName,
      updated_at: timestampMs,
    },
  };
}

export function clerkUserDeletedEvent(userId: string, timestampMs: number = Date.now()): Record<string, unknown> {
  return {
    object: "event",
    type: "user.deleted",
    timestamp: timestampMs,
    instance_id: "ins_test",
    data: { id: userId, object: "user", deleted: true },
  };
}

export function invoiceObject(options: {
  subscriptionId: string;
  id?: string;
  attemptCount?: number;
  /** Unix seconds of Stripe's next retry; null when Stripe gives up. */
  nextPaymentAttempt?: number | null;
  shape?: "basil" | "legacy";
}): Record<string, unknown> {
  const basil = (options.shape ?? "basil") === "basil";
  return {
    id: options.id ?? uniqueId("in"),
    object: "invoice",
    attempt_count: options.attemptCount ?? 1,
    next_payment_attempt: options.nextPaymentAttempt === undefined ? 1_900_000_000 : options.nextPaymentAttempt,
    ...(basil
      ? { parent: { type: "subscription_details", subscription_details: { subscription: options.subscriptionId } } }
      : { subscription: options.subscriptionId }),
  };
}
