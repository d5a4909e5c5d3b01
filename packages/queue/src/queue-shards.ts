import calculateSlot from "cluster-key-slot";
import { WEBHOOK_QUEUE_NAMES } from "./queue-names";
import { stripeCustomerOf } from "./stripe-customer-of";
import type { WebhookJob, WebhookProvider } from "./webhook-job";

/** Where one shard's queues live: their BullMQ prefix and one queue name per provider. */
export interface WebhookQueueShard {
  prefix: string;
  names: Record<WebhookProvider, string>;
}

/** Redis Cluster's slot count; `redis-cli --cluster create` gives each master an equal run of them. */
const CLUSTER_SLOTS = 16_384;

/** WEBHOOK_QUEUE_SHARDS may not exceed this: each shard costs every worker process a Worker per provider. */
export const MAX_QUEUE_SHARDS = 64;

/** The content of the first `{…}` of a key or prefix (Redis Cluster hashes only that), or undefined. */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf("{");
  if (open < 0) return undefined;
  const close = prefix.indexOf("}", open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : undefined;
}

/**
 * The queues of `count` shards under `prefix`. One shard is today's queues, unchanged. With more,
 * shard i's queues are named `webhooks-stripe-s<i>` and live under the prefix with its hash tag
 * extended, `{wh}` → `{wh-s<i>}`, so every shard has a slot of its own. Tags do not spread by
 * themselves (`{wh-s0}` and `{wh-s1}` may hash to one master), so shard i takes the first of
 * `{wh-s<i>}`, `{wh-s<i>-1}`, `{wh-s<i>-2}`, … whose slot lies in the middle of the i-th of `count`
 * equal runs of slots: on a cluster whose masters hold equal runs (as `redis-cli --cluster
 * create` makes them), K shards on M masters land on min(K, M) different masters. Pure and
 * deterministic: every process computes the same names.
 */
export function webhookQueueShards(prefix: string, count: number): WebhookQueueShard[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_QUEUE_SHARDS) {
    throw new Error(`queue shard count must be an integer from 1 to ${MAX_QUEUE_SHARDS}, got ${count}`);
  }
  if (count === 1) return [{ prefix, names: WEBHOOK_QUEUE_NAMES }];
  const tag = hashTagOf(prefix);
  return Array.from({ length: count }, (_, shard) => ({
    prefix: tag === undefined ? prefix : prefix.replace(`{${tag}}`, `{${shardTag(tag, shard, count)}}`),
    names: { stripe: `${WEBHOOK_QUEUE_NAMES.stripe}-s${shard}`, clerk: `${WEBHOOK_QUEUE_NAMES.clerk}-s${shard}` },
  }));
}

function shardTag(tag: string, shard: number, count: number): string {
  const width = CLUSTER_SLOTS / count;
  const low = shard * width + width / 4;
  const high = (shard + 1) * width - width / 4;
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? `${tag}-s${shard}` : `${tag}-s${shard}-${n}`;
    const slot = calculateSlot(`{${candidate}}`);
    if (slot >= low && slot < high) return candidate;
  }
}

/**
 * The shard of an entity's events: a stable hash (CRC16) of provider and entity id, modulo the
 * shard count. The same entity always lands in the same shard, so its events keep one queue
 * (per-entity order is not made worse) and a delivery's duplicates meet their job id there.
 */
export function shardFor(provider: WebhookProvider, entityId: string, count: number): number {
  return count === 1 ? 0 : calculateSlot(`${provider}/${entityId}`) % count;
}

/**
 * The entity a delivery is sharded by, from what the receiver enqueues (and the ledger keeps for
 * replays): the Stripe customer (checkout, subscription and invoice events of one customer stay
 * together, as the worker orders and links them), else the object (a Clerk user), else the event.
 */
export function shardEntityOf(job: WebhookJob): string {
  return stripeCustomerOf(job) ?? job.objectId ?? job.eventId;
}
