import { z } from "zod";
import { parsePayload } from "../parse-payload";

/** Only the fields the handlers read; Stripe adds fields freely, so unknown keys are kept. */

const expandable = z.union([z.string(), z.object({ id: z.string() }).loose()]);
const metadata = z.record(z.string(), z.string()).nullish();

export const checkoutSessionSchema = z
  .object({
    id: z.string(),
    client_reference_id: z.string().nullish(),
    customer: expandable.nullish(),
    metadata,
  })
  .loose();

const subscriptionItemSchema = z
  .object({
    price: z.object({ lookup_key: z.string().nullish() }).loose(),
    // Since API 2025-03-31.basil the billing period lives on the items.
    current_period_start: z.number().nullish(),
    current_period_end: z.number().nullish(),
  })
  .loose();

export const subscriptionSchema = z
  .object({
    id: z.string().startsWith("sub_"),
    customer: expandable,
    status: z.string(),
    cancel_at_period_end: z.boolean().default(false),
    // Before basil the billing period was on the subscription itself.
    current_period_start: z.number().nullish(),
    current_period_end: z.number().nullish(),
    items: z.object({ data: z.array(subscriptionItemSchema) }).loose(),
    metadata,
  })
  .loose();

export type StripeSubscription = z.infer<typeof subscriptionSchema>;

/** `data.object` of a Stripe event payload, validated; poison when it does not fit. */
export function stripeObject<S extends z.ZodType>(payload: Record<string, unknown>, schema: S, what: string): z.infer<S> {
  const data = payload.data as { object?: unknown } | undefined;
  return parsePayload(schema, data?.object, what);
}

export function expandableId(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

export const invoiceSchema = z
  .object({
    id: z.string().startsWith("in_"),
    attempt_count: z.number().int().nonnegative(),
    next_payment_attempt: z.number().nullish(),
    // Before API 2025-03-31.basil: the subscription on the invoice itself.
    subscription: expandable.nullish(),
    // Since basil: under parent.subscription_details.
    parent: z
      .object({ subscription_details: z.object({ subscription: expandable.nullish() }).loose().nullish() })
      .loose()
      .nullish(),
  })
  .loose();

export type StripeInvoice = z.infer<typeof invoiceSchema>;

export function invoiceSubscriptionId(invoice: StripeInvoice): string | null {
  return expandableId(invoice.parent?.subscription_details?.subscription ?? invoice.subscription);
}
