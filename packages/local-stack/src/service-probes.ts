import IORedis from "ioredis";
import { createConnection } from "node:net";
import { Client } from "pg";

/** The URL with its password replaced by `***`, for messages. */
export function maskUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/, "$1***@");
}

/** Something accepts TCP connections at host:port (within `timeoutMs`). */
export function tcpProbe(host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Runs one command on a Redis and returns its reply; rejects when it is unreachable or refuses. */
export async function redisCommand(url: string, command: string, args: string[] = [], timeoutMs = 3_000): Promise<unknown> {
  const client = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let connectionError: Error | undefined;
  client.on("error", (error: Error) => {
    connectionError = error;
  });
  try {
    await client.connect();
    return await client.call(command, ...args);
  } catch (error) {
    // "Connection is closed" hides the reason (refused, timed out, wrong password)
    throw connectionError ?? error;
  } finally {
    client.disconnect();
  }
}

/**
 * The URL of one server to probe: a Redis Cluster URL (`redis+cluster://[user:pass@]host:port,…[?tls=true]`,
 * `rediss+cluster://…`) becomes its first node's; any other URL stays as it is.
 */
export function firstNodeUrl(url: string): string {
  const cluster = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^,/?]+)/.exec(url);
  if (!cluster) return url;
  const tls = cluster[1] === "rediss" || /[?&]tls=(true|1)\b/.test(url);
  return `${tls ? "rediss" : "redis"}://${cluster[2] ? `${cluster[2]}@` : ""}${cluster[3]}`;
}

/** Redis at `url` answers PONG. */
export async function redisAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  return (await redisCommand(url, "PING", [], timeoutMs).catch(() => undefined)) === "PONG";
}

/** Connects to Postgres at `url`, runs one statement and returns its rows; rejects with the driver's error. */
export async function postgresQuery<T extends Record<string, unknown>>(url: string, sql: string, timeoutMs = 10_000): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
