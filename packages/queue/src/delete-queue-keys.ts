import { webhookQueueShards } from "./queue-shards";
import { connectRedis, redisMasters } from "./redis-connection";

/**
 * Removes every key under a BullMQ prefix and its shards' prefixes (what a test's queues left in
 * a shared Redis), scanning every master of a Redis Cluster. Each prefix has one hash tag, so a
 * scanned batch lies in one slot and one UNLINK removes it.
 */
export async function deleteQueueKeys(redisUrl: string, prefix: string, shardCount = 1): Promise<number> {
  const redis = connectRedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await redis.ping();
    const prefixes = new Set([prefix, ...webhookQueueShards(prefix, shardCount).map((shard) => shard.prefix)]);
    let deleted = 0;
    for (const server of redisMasters(redis)) {
      for (const keyPrefix of prefixes) {
        const stream = server.scanStream({ match: `${keyPrefix}:*`, count: 500 });
        for await (const keys of stream as AsyncIterable<string[]>) {
          if (keys.length > 0) deleted += await server.unlink(...keys);
        }
      }
    }
    return deleted;
  } finally {
    redis.disconnect();
  }
}
