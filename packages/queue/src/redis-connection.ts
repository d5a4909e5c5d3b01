import IORedis, { Cluster, type ClusterOptions, type Redis, type RedisOptions } from "ioredis";
import { JOB_PRESENCE_SCRIPTS } from "./job-presence-script";
import { parseRedisUrl } from "./redis-url";

/** BullMQ's connection: one Redis server, or a Redis Cluster (`REDIS_URL=redis+cluster://…`). */
export type RedisConnection = Redis | Cluster;

/**
 * A producer connection fails fast: no offline queue, one retry per command, short connect
 * timeout. The receiver must answer 503 rather than hold a provider's request open.
 * Auto-pipelining: the commands of every request issued in one event-loop turn leave in one
 * socket write (while a batch is out, the next one gathers), so under load the receiver makes a
 * fraction of a syscall per delivery (docs/decisions/receiver-hot-path.md).
 */
export function createProducerConnection(url: string): RedisConnection {
  return connectRedis(url, {
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
export function createWorkerConnection(url: string): RedisConnection {
  return connectRedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
    // After a failover: reconnect, and send the command again (2) on the new connection.
    reconnectOnError: (error) => (isReadonlyError(error) ? 2 : false),
  });
}

/**
 * The one connection factory: `options` apply to a server, or to every node of a cluster (the
 * cluster's own offline queue and retry strategy take the server's). Credentials and TLS come
 * from the URL. The ready check makes `ready` mean the cluster answered `CLUSTER INFO` ok. Every
 * connection carries the producer's read script (job-presence-script.ts); BullMQ's duplicates of
 * it copy its options, and the script with them.
 */
export function connectRedis(url: string, options: RedisOptions): RedisConnection {
  const target = parseRedisUrl(url);
  if (target.kind === "server") return new IORedis(target.url, { ...options, scripts: JOB_PRESENCE_SCRIPTS });
  const { retryStrategy, enableOfflineQueue, enableAutoPipelining, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    enableReadyCheck: true,
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    scripts: JOB_PRESENCE_SCRIPTS,
    redisOptions: {
      ...nodeOptions,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(target.nodes, clusterOptions);
}

/** The servers that hold data: the cluster's masters, or the one server. Per-server checks and scans run on each. */
export function redisMasters(connection: RedisConnection): Redis[] {
  return connection instanceof Cluster ? connection.nodes("master") : [connection];
}

/**
 * After a failover the old primary, now a replica, refuses every write with `READONLY` on the
 * connections still open to it; only a new connection (the endpoint's name now leads to the new
 * primary) can write again. ioredis keeps the connection unless told to reconnect.
 */
function isReadonlyError(error: Error): boolean {
  return error.message.startsWith("READONLY");
}
