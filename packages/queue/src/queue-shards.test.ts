import calculateSlot from "cluster-key-slot";
import { checkoutSession, subscriptionObject } from "@wh/testkit";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { hashTagOf, shardEntityOf, shardFor, webhookQueueShards } from "./queue-shards";
import type { WebhookJob } from "./webhook-job";

/** Slots of a 3-master cluster as `redis-cli --cluster create` assigns them. */
const masterOfSlot = (slot: number) => (slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);

describe("webhookQueueShards", () => {
  it("keeps today's queue names and prefix with one shard", () => {
    expect(webhookQueueShards("{wh}", 1)).toEqual([{ prefix: "{wh}", names: WEBHOOK_QUEUE_NAMES }]);
  });

  it("gives every shard its own queue names and hash tag, on a different master of three", () => {
    const shards = webhookQueueShards("{wh}", 3);
    expect(shards.map((shard) => shard.names)).toEqual([0, 1, 2].map((i) => ({ stripe: `webhooks-stripe-s${i}`, clerk: `webhooks-clerk-s${i}` })));
    const tags = shards.map((shard) => hashTagOf(shard.prefix));
    for (const [i, tag] of tags.entries()) expect(tag).toMatch(new RegExp(`^wh-s${i}(-\\d+)?$`));
    expect(new Set(shards.map((shard) => masterOfSlot(calculateSlot(shard.prefix))))).toEqual(new Set([0, 1, 2]));
  });

  it("is the same on every call (every process computes the same names)", () => {
    expect(webhookQueueShards("app:{wh}", 8)).toEqual(webhookQueueShards("app:{wh}", 8));
    expect(webhookQueueShards("app:{wh}", 8)[0]!.prefix).toMatch(/^app:\{wh-s0(-\d+)?\}$/);
  });

  it.each([0, 65, 1.5])("refuses %p shards", (count) => {
    expect(() => webhookQueueShards("{wh}", count)).toThrow(/shard count/);
  });
});

describe("hashTagOf", () => {
  it("finds the first non-empty {…}, as Redis Cluster hashes keys", () => {
    expect(hashTagOf("{wh}")).toBe("wh");
    expect(hashTagOf("app:{wh}:x{y}")).toBe("wh");
    expect(hashTagOf("wh")).toBeUndefined();
    expect(hashTagOf("{}wh")).toBeUndefined();
    expect(hashTagOf("{wh")).toBeUndefined();
  });
});

describe("shardFor", () => {
  it("is stable: the same entity always gets the same shard", () => {
    expect(shardFor("stripe", "cus_RZ1n3kJpQ2", 4)).toBe(shardFor("stripe", "cus_RZ1n3kJpQ2", 4));
    expect(shardFor("stripe", "cus_RZ1n3kJpQ2", 4)).toBe(calculateSlot("stripe/cus_RZ1n3kJpQ2") % 4);
  });

  it("is 0 with one shard", () => {
    expect(shardFor("clerk", "user_anything", 1)).toBe(0);
  });

  it("spreads many entities evenly over the shards", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3_000; i += 1) counts[shardFor("stripe", `cus_${i.toString(36)}x${(i * 7919).toString(36)}`, 3)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });
});

describe("shardEntityOf", () => {
  const job = (provider: WebhookJob["provider"], objectId: string | undefined, object: Record<string, unknown>): WebhookJob => ({
    provider,
    eventId: "evt_1",
    type: "t",
    ...(objectId ? { objectId } : {}),
    eventCreatedAt: 0,
    receivedAt: 0,
    payload: { data: { object } },
  });

  it("keeps one Stripe customer's checkout, subscription and invoice events together", () => {
    const subscription = subscriptionObject({ id: "sub_1", customerId: "cus_1", status: "active", plan: "pro" });
    expect(shardEntityOf(job("stripe", "sub_1", subscription))).toBe("cus_1");
    expect(shardEntityOf(job("stripe", "cs_1", checkoutSession({ clerkUserId: "user_1", customerId: "cus_1" })))).toBe("cus_1");
    expect(shardEntityOf(job("stripe", "in_1", { id: "in_1", object: "invoice", customer: "cus_1" }))).toBe("cus_1");
    expect(shardEntityOf(job("stripe", "cus_1", { id: "cus_1", object: "customer" }))).toBe("cus_1");
  });

  it("takes the object (a Clerk user) without a customer, else the event", () => {
    expect(shardEntityOf(job("clerk", "user_1", { id: "user_1" }))).toBe("user_1");
    expect(shardEntityOf(job("stripe", undefined, {}))).toBe("evt_1");
  });
});
