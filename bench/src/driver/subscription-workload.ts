import { signStripe, stripeEvent, subscriptionObject } from "@wh/testkit";
import type { Delivery } from "./load-generator";

const PLANS = ["starter", "pro", "business"] as const;
const PERIOD_START = 1_767_225_600;

/** A delivery and the event id the ledger will know it by. */
export interface WorkloadDelivery extends Delivery {
  eventId: string;
}

/**
 * `customer.subscription.updated` events over a fixed set of subscriptions, round robin: event i
 * is about subscription i mod S, in round i div S, one second newer than the round before and
 * on another plan. Every id carries the run's tag, so a run's rows are its own.
 */
export class SubscriptionWorkload {
  private readonly baseSeconds = Math.floor(Date.now() / 1000) - 86_400;

  constructor(
    readonly tag: string,
    readonly subscriptions: number,
    private readonly stripeSecret: string,
  ) {
    if (!/^[A-Za-z0-9]+$/.test(tag)) throw new Error("workload tag must be letters and digits");
  }

  subscriptionId(k: number): string {
    return `sub_${this.tag}_${k}`;
  }

  customerId(k: number): string {
    return `cus_${this.tag}_${k}`;
  }

  clerkUserId(k: number): string {
    return `user_${this.tag}_${k}`;
  }

  eventId(i: number): string {
    return `evt_${this.tag}_${i}`;
  }

  planOf(i: number): string {
    return PLANS[(i % this.subscriptions + Math.floor(i / this.subscriptions)) % PLANS.length]!;
  }

  /** Event i, signed now by the official library. */
  delivery(i: number): WorkloadDelivery {
    const k = i % this.subscriptions;
    const round = Math.floor(i / this.subscriptions);
    const subscription = subscriptionObject({
      id: this.subscriptionId(k),
      customerId: this.customerId(k),
      clerkUserId: this.clerkUserId(k),
      status: "active",
      plan: this.planOf(i),
      periodStart: PERIOD_START,
    });
    const event = stripeEvent("customer.subscription.updated", subscription, {
      id: this.eventId(i),
      created: this.baseSeconds + round,
    });
    return { path: "/webhooks/stripe", eventId: this.eventId(i), ...signStripe(event, this.stripeSecret) };
  }

  /** Deliveries 0, 1, 2, … one per call of `next`; `accepted` collects the indexes answered 2xx. */
  sequence(): { next: () => WorkloadDelivery; accepted: number[] } {
    const accepted: number[] = [];
    let index = 0;
    const next = () => {
      const i = index++;
      return { ...this.delivery(i), onOk: () => accepted.push(i) };
    };
    return { next, accepted };
  }

  /** Subscription id → the plan of its newest event among `accepted` event indexes. */
  expectedPlans(accepted: readonly number[]): Map<string, string> {
    const newest = new Map<number, number>();
    for (const i of accepted) {
      const k = i % this.subscriptions;
      if ((newest.get(k) ?? -1) < i) newest.set(k, i);
    }
    return new Map([...newest].map(([k, i]) => [this.subscriptionId(k), this.planOf(i)]));
  }
}
