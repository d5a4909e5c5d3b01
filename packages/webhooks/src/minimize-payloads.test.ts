import { checkoutSession, clerkUserEvent, invoiceObject, stripeEvent, subscriptionObject } from "@wh/testkit";
import { minimizeClerkPayload } from "./minimize-clerk-payload";
import { minimizeStripePayload } from "./minimize-stripe-payload";

describe("minimizeStripePayload", () => {
  it("keeps what the checkout handler reads and drops the customer's personal details", () => {
    const session = {
      ...checkoutSession({ clerkUserId: "user_1", customerId: "cus_1" }),
      customer_details: { email: "buyer@example.com", address: { line1: "1 Main St" }, phone: "+1555" },
      metadata: { clerk_user_id: "user_1", note: "vip" },
    };
    const minimized = minimizeStripePayload(stripeEvent("checkout.session.completed", session, { id: "evt_1", created: 10 }));
    expect(minimized).toEqual({
      id: "evt_1",
      object: "event",
      api_version: "2025-03-31.basil",
      created: 10,
      livemode: false,
      type: "checkout.session.completed",
      data: {
        object: { id: session.id, object: "checkout.session", client_reference_id: "user_1", customer: "cus_1", mode: "subscription", metadata: { clerk_user_id: "user_1" } },
      },
    });
    expect(JSON.stringify(minimized)).not.toMatch(/buyer@|Main St|\+1555|vip/);
  });

  it("keeps a subscription's status, plan keys and billing period in both API shapes", () => {
    for (const shape of ["basil", "legacy"] as const) {
      const sub = subscriptionObject({ id: "sub_1", customerId: "cus_1", status: "active", plan: "pro", clerkUserId: "user_1", shape });
      const full = stripeEvent("customer.subscription.updated", { ...sub, customer: { id: "cus_1", email: "x@example.com" }, default_payment_method: "pm_1" });
      const object = (minimizeStripePayload(full).data as { object: Record<string, unknown> }).object;
      expect(object).toMatchObject({ id: "sub_1", customer: "cus_1", status: "active", cancel_at_period_end: false, metadata: { clerk_user_id: "user_1" } });
      const item = (object.items as { data: Record<string, unknown>[] }).data[0];
      expect(item?.price).toEqual({ id: expect.any(String), lookup_key: "pro" });
      const period = shape === "basil" ? item : object;
      expect(period).toMatchObject({ current_period_start: expect.any(Number), current_period_end: expect.any(Number) });
      expect(JSON.stringify(object)).not.toMatch(/x@example|pm_1/);
    }
  });

  it("keeps an invoice's attempt, retry time and subscription, old and new shape", () => {
    const basil = (minimizeStripePayload(stripeEvent("invoice.payment_failed", { ...invoiceObject({ id: "in_1", subscriptionId: "sub_1" }), customer_email: "x@example.com" })).data as { object: object }).object;
    expect(basil).toMatchObject({ id: "in_1", attempt_count: 1, next_payment_attempt: 1_900_000_000, parent: { subscription_details: { subscription: "sub_1" } } });
    expect(JSON.stringify(basil)).not.toContain("x@example.com");
    const legacy = (minimizeStripePayload(stripeEvent("invoice.paid", invoiceObject({ id: "in_2", subscriptionId: "sub_2", shape: "legacy" }))).data as { object: object }).object;
    expect(legacy).toMatchObject({ id: "in_2", subscription: "sub_2" });
  });

  it("keeps only the object's id for types no handler reads", () => {
    const event = stripeEvent("charge.succeeded", { id: "ch_1", object: "charge", billing_details: { email: "x@example.com" } });
    expect(minimizeStripePayload(event).data).toEqual({ object: { id: "ch_1", object: "charge" } });
  });
});

describe("minimizeClerkPayload", () => {
  it("keeps ids, the primary email and names of a user, nothing else", () => {
    const event = clerkUserEvent("user.created", { id: "user_1", email: "ada@example.com" }, 1_700_000_000_000);
    const data = event.data as Record<string, unknown>;
    data.email_addresses = [
      { id: "idn_other", email_address: "other@example.com" },
      { id: "idn_primary", email_address: "ada@example.com", verification: { status: "verified" } },
    ];
    data.phone_numbers = [{ phone_number: "+1555" }];
    data.private_metadata = { secret: "s" };
    const minimized = minimizeClerkPayload(event);
    expect(minimized).toEqual({
      object: "event",
      type: "user.created",
      timestamp: 1_700_000_000_000,
      instance_id: "ins_test",
      data: {
        id: "user_1",
        object: "user",
        email_addresses: [{ id: "idn_primary", email_address: "ada@example.com" }],
        primary_email_address_id: "idn_primary",
        first_name: "Ada",
        last_name: "Lovelace",
        updated_at: 1_700_000_000_000,
      },
    });
  });

  it("keeps only ids for a deleted user and for unhandled types", () => {
    expect(minimizeClerkPayload({ type: "user.deleted", timestamp: 1, data: { id: "user_1", object: "user", deleted: true } }).data).toEqual({
      id: "user_1",
      object: "user",
      deleted: true,
    });
    expect(minimizeClerkPayload({ type: "session.created", timestamp: 1, data: { id: "sess_1", object: "session", client_ip: "1.2.3.4" } }).data).toEqual({
      id: "sess_1",
      object: "session",
    });
  });
});
