import { pickFields, referenceId } from "./pick-fields";

/**
 * Job data and the ledger keep what the handlers need, not the customer's address, email or
 * card details that Stripe objects carry. Unhandled types keep only their object's id.
 */
const EVENT_FIELDS = ["id", "object", "api_version", "created", "livemode", "type"] as const;

function minimizeObject(type: string, object: unknown): Record<string, unknown> {
  if (type === "checkout.session.completed") {
    const session = pickFields(object, ["id", "object", "client_reference_id", "customer", "mode", "subscription", "metadata"]);
    return { ...session, customer: referenceId(session.customer), subscription: referenceId(session.subscription), metadata: clerkMetadata(session.metadata) };
  }
  if (type.startsWith("customer.subscription.")) {
    const sub = pickFields(object, ["id", "object", "customer", "status", "cancel_at_period_end", "current_period_start", "current_period_end", "metadata", "items"]);
    const items = pickFields(sub.items, ["object", "data"]);
    const data = Array.isArray(items.data) ? items.data : [];
    return {
      ...sub,
      customer: referenceId(sub.customer),
      metadata: clerkMetadata(sub.metadata),
      items: {
        ...items,
        data: data.map((item) => {
          const kept = pickFields(item, ["id", "price", "current_period_start", "current_period_end"]);
          return { ...kept, price: pickFields(kept.price, ["id", "lookup_key"]) };
        }),
      },
    };
  }
  if (type.startsWith("invoice.")) {
    const invoice = pickFields(object, ["id", "object", "customer", "attempt_count", "next_payment_attempt", "subscription", "parent", "status"]);
    const parent = pickFields(invoice.parent, ["type", "subscription_details"]);
    const details = pickFields(parent.subscription_details, ["subscription"]);
    return {
      ...invoice,
      customer: referenceId(invoice.customer),
      subscription: referenceId(invoice.subscription),
      parent: invoice.parent == null ? invoice.parent : { ...parent, subscription_details: { subscription: referenceId(details.subscription) } },
    };
  }
  return pickFields(object, ["id", "object"]);
}

function clerkMetadata(metadata: unknown): Record<string, unknown> {
  return pickFields(metadata, ["clerk_user_id"]);
}

export function minimizeStripePayload(payload: Record<string, unknown>): Record<string, unknown> {
  const type = typeof payload.type === "string" ? payload.type : "";
  const data = pickFields(payload.data, ["object"]);
  return { ...pickFields(payload, EVENT_FIELDS), data: { object: minimizeObject(type, data.object) } };
}
