import type { Redis } from "ioredis";

export interface RedisMemoryInfo {
  /** `used_memory`: bytes Redis has allocated. */
  usedBytes: number | undefined;
  /** `maxmemory`: the limit in bytes; 0 means none. */
  maxBytes: number | undefined;
  /** `maxmemory_policy`. */
  evictionPolicy: string | undefined;
}

/**
 * Redis's memory figures from `INFO memory`, as BullMQ reads them (managed services often disable
 * `CONFIG GET`); a field the server does not report is undefined.
 */
export async function readRedisMemoryInfo(redis: Redis): Promise<RedisMemoryInfo> {
  const fields = new Map<string, string>();
  for (const line of (await redis.info("memory")).split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const bytes = (field: string) => {
    const value = Number(fields.get(field) ?? Number.NaN);
    return Number.isFinite(value) ? value : undefined;
  };
  return { usedBytes: bytes("used_memory"), maxBytes: bytes("maxmemory"), evictionPolicy: fields.get("maxmemory_policy") };
}
