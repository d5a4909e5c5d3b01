/**
 * Where BullMQ's Redis is, from `REDIS_URL`: one server (`redis://`, `rediss://`, handed to
 * ioredis as written) or a Redis Cluster (`redis+cluster://[user:pass@]host:port,host:port[?tls=true]`,
 * `rediss+cluster://…` for TLS): the listed nodes are where the client starts, it learns the
 * others from the cluster.
 */
export type RedisTarget =
  | { kind: "server"; url: string }
  | { kind: "cluster"; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/([^/?#]*)\/?(?:\?([^#]*))?$/;

export function isClusterRedisUrl(url: string): boolean {
  return /^rediss?\+cluster:\/\//.test(url);
}

export function parseRedisUrl(url: string): RedisTarget {
  if (!isClusterRedisUrl(url)) return { kind: "server", url };
  const match = CLUSTER_URL.exec(url);
  if (!match) throw new Error("a cluster REDIS_URL is redis+cluster://[user:pass@]host:port,host:port[?tls=true]");
  const [, scheme, authority = "", query = ""] = match;
  const at = authority.lastIndexOf("@");
  const credentials = at >= 0 ? authority.slice(0, at) : undefined;
  const nodes = authority
    .slice(at + 1)
    .split(",")
    .map(parseNode);
  if (nodes.length === 0) throw new Error("a cluster REDIS_URL lists at least one host:port");
  const colon = credentials?.indexOf(":") ?? -1;
  const username = credentials === undefined ? undefined : decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials);
  const password = credentials === undefined || colon < 0 ? undefined : decodeURIComponent(credentials.slice(colon + 1));
  const tlsParameter = new URLSearchParams(query).get("tls");
  return {
    kind: "cluster",
    nodes,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    tls: scheme === "rediss" || tlsParameter === "true" || tlsParameter === "1",
  };
}

function parseNode(node: string): { host: string; port: number } {
  const colon = node.lastIndexOf(":");
  const host = colon > 0 ? node.slice(0, colon).replace(/^\[(.*)\]$/, "$1") : "";
  const port = Number(node.slice(colon + 1));
  if (host.length === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error("every node of a cluster REDIS_URL is host:port");
  }
  return { host, port };
}
