import { clerkUserEvent, stripeEvent, subscriptionObject } from "@wh/testkit";
import { stripeEventEnvelope } from "./stripe-event-envelope";
import { clerkWebhookJob, stripeWebhookJob } from "./webhook-jobs";
import { minimizeClerkPayload } from "./minimize-clerk-payload";
import { minimizeStripePayload } from "./minimize-stripe-payload";

describe("stripeEventEnvelope", () => {
  it("reads the envelope of a listed or delivered event", () => {
    const sub = subscriptionObject({ id: "sub_1", customerId: "cus_1", status: "active", plan: "pro" });
    const event = stripeEvent("customer.subscription.updated", sub, { id: "evt_1", created: 10 });
    expect(stripeEventEnvelope(event)).toEqual({
      id: "evt_1",
      type: "customer.subscription.updated",
      created: 10,
      livemode: false,
      objectId: "sub_1",
      payload: event,
    });
  });

  it("refuses what the receiver would refuse", () => {
    const event = stripeEvent("customer.subscription.updated", subscriptionObject({ id: "sub_1", customerId: "cus_1", status: "active", plan: "pro" }));
    expect(stripeEventEnvelope([event])).toBeUndefined();
    expect(stripeEventEnvelope({ ...event, id: "ch_1" })).toBeUndefined();
    expect(stripeEventEnvelope({ ...event, id: "evt_../x" })).toBeUndefined();
    expect(stripeEventEnvelope({ ...event, created: "10" })).toBeUndefined();
    expect(stripeEventEnvelope({ ...event, livemode: undefined })).toBeUndefined();
  });
});

describe("webhook jobs", () => {
  it("a Stripe job carries the envelope, the event time in milliseconds and the minimized payload", () => {
    const sub = { ...subscriptionObject({ id: "sub_1", customerId: "cus_1", status: "active", plan: "pro" }), customer: { id: "cus_1", email: "x@example.com" } };
    const envelope = stripeEventEnvelope(stripeEvent("customer.subscription.created", sub, { id: "evt_2", created: 20 }));
    if (!envelope) throw new Error("expected an envelope");
    expect(stripeWebhookJob(envelope, 1_234)).toEqual({
      provider: "stripe",
      eventId: "evt_2",
      type: "customer.subscription.created",
      objectId: "sub_1",
      eventCreatedAt: 20_000,
      receivedAt: 1_234,
      payload: minimizeStripePayload(envelope.payload),
    });
    expect(JSON.stringify(stripeWebhookJob(envelope, 1_234))).not.toContain("x@example.com");
  });

  it("a Clerk job carries the delivery id, the body's time and the minimized payload", () => {
    const body = clerkUserEvent("user.created", { id: "user_1", email: "y@example.com" });
    const job = clerkWebhookJob({ id: "msg_1", type: "user.created", timestampMs: 5_000, objectId: "user_1", payload: body }, 6_000);
    expect(job).toEqual({
      provider: "clerk",
      eventId: "msg_1",
      type: "user.created",
      objectId: "user_1",
      eventCreatedAt: 5_000,
      receivedAt: 6_000,
      payload: minimizeClerkPayload(body),
    });
  });
});
