import { SubscriptionWorkload } from "./subscription-workload";

describe("SubscriptionWorkload", () => {
  const workload = new SubscriptionWorkload("t1", 3, "whsec_test_stripe_secret_0123456789");

  it("rotates each subscription through the plans, one round at a time", () => {
    expect([0, 3, 6].map((i) => workload.planOf(i))).toEqual(["starter", "pro", "business"]);
    expect([1, 4].map((i) => workload.planOf(i))).toEqual(["pro", "business"]);
  });

  it("expects each subscription on the plan of its newest accepted event", () => {
    const expected = workload.expectedPlans([0, 1, 3, 6, 4]);
    expect(Object.fromEntries(expected)).toEqual({ sub_t1_0: "business", sub_t1_1: "business" });
  });

  it("signs a newer event for a later round of the same subscription", () => {
    const created = (i: number) => (JSON.parse(workload.delivery(i).body) as { created: number }).created;
    expect(created(3) - created(0)).toBe(1);
    expect(workload.delivery(3).headers["stripe-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it("hands out deliveries in order and collects the ones answered 2xx", () => {
    const { next, accepted } = workload.sequence();
    const deliveries = [next(), next(), next()];
    expect(deliveries.map((delivery) => delivery.eventId)).toEqual(["evt_t1_0", "evt_t1_1", "evt_t1_2"]);
    deliveries[2]!.onOk!();
    deliveries[0]!.onOk!();
    expect(accepted).toEqual([2, 0]);
  });
});
