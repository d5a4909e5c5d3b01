import IORedis, { type Redis } from "ioredis";

/**
 * A producer connection fails fast: no offline queue, one retry per command, short connect
 * timeout. The receiver must answer 503 rather than hold a provider's request open.
 * Auto-pipelining: the commands of every request issued in one event-loop turn leave in one
 * socket write (while a batch is out, the next one gathers), so under load the receiver makes a
 * fraction of a syscall per delivery (docs/decisions/receiver-hot-path.md).
 */
export function createProducerConnection(url: string): Redis {
  return new IORedis(url, {
    enableAutoPipelining: true,
    // After a failover: reconnect, and fail this command (the provider retries after a 503).
    reconnectOnError: isReadonlyError,
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
    // After a failover: reconnect, and send the command again (2) on the new connection.
    reconnectOnError: (error) => (isReadonlyError(error) ? 2 : false),
  });
}

/**
 * After a failover the old primary, now a replica, refuses every write with `READONLY` on the
 * connections still open to it; only a new connection (the endpoint's name now leads to the new
 * primary) can write again. ioredis keeps the connection unless told to reconnect.
 */
function isReadonlyError(error: Error): boolean {
  return error.message.startsWith("READONLY");
}
