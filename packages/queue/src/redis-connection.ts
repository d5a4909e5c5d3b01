import IORedis, { type Redis } from "ioredis";

/**
 * A producer connection fails fast: no offline queue, one retry per command, short connect
 * timeout. The receiver must answer 503 rather than hold a provider's request open.
 */
export function createProducerConnection(url: string): Redis {
  return new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

/** Workers block on Redis and must never give up on a command: BullMQ requires this. */
export function createWorkerConnection(url: string): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
}
