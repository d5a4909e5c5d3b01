import { queuePrefix, redisUrl } from "@wh/core";
import { z } from "zod";
import { hashTagOf, MAX_QUEUE_SHARDS } from "./queue-shards";
import { isClusterRedisUrl, parseRedisUrl } from "./redis-url";

/** The env fields of every process that opens the webhook queues: where Redis is, the prefix, the shards. */
export const queueEnvFields = {
  REDIS_URL: redisUrl.superRefine((url, ctx) => {
    try {
      parseRedisUrl(url);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
    }
  }),
  QUEUE_PREFIX: queuePrefix,
  /** Queues per provider; 1 keeps one queue per provider (the names of an unsharded deployment). */
  WEBHOOK_QUEUE_SHARDS: z.coerce.number().int().min(1).max(MAX_QUEUE_SHARDS).default(1),
};

/**
 * The cross-field check of the queue fields, for an app schema's `superRefine` (with
 * `{ when: () => true }`, so it reports even when another variable failed): on a Redis Cluster
 * a BullMQ prefix without a non-empty `{…}` hash tag spreads one queue's keys over many slots,
 * and BullMQ's scripts, which touch several keys of a queue at once, fail with CROSSSLOT.
 */
export function checkQueueEnv(env: { REDIS_URL?: unknown; QUEUE_PREFIX?: unknown }, ctx: z.core.$RefinementCtx): void {
  if (typeof env.REDIS_URL !== "string" || !isClusterRedisUrl(env.REDIS_URL)) return;
  const prefix = env.QUEUE_PREFIX ?? "{wh}";
  if (typeof prefix === "string" && hashTagOf(prefix) === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["QUEUE_PREFIX"],
      message: "must contain a non-empty {…} hash tag (e.g. {wh}) when REDIS_URL is a Redis Cluster, so that each queue's keys share one slot",
    });
  }
}
