import { isClusterRedisUrl, parseRedisUrl } from "./redis-url";

describe("parseRedisUrl", () => {
  it("hands a single server's URL to ioredis as written", () => {
    expect(parseRedisUrl("redis://:secret@127.0.0.1:6390/2")).toEqual({ kind: "server", url: "redis://:secret@127.0.0.1:6390/2" });
    expect(parseRedisUrl("rediss://cache.example.com:6380")).toEqual({ kind: "server", url: "rediss://cache.example.com:6380" });
    expect(isClusterRedisUrl("redis://127.0.0.1:6390")).toBe(false);
  });

  it("reads a cluster's start nodes", () => {
    expect(parseRedisUrl("redis+cluster://127.0.0.1:7001,127.0.0.1:7002,node-3.internal:7003")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "127.0.0.1", port: 7001 },
        { host: "127.0.0.1", port: 7002 },
        { host: "node-3.internal", port: 7003 },
      ],
      tls: false,
    });
  });

  it("reads credentials (percent-encoded) and a password without a user", () => {
    expect(parseRedisUrl("redis+cluster://app:p%40ss%3Aword@10.0.0.1:6379,10.0.0.2:6379")).toMatchObject({
      username: "app",
      password: "p@ss:word",
      nodes: [
        { host: "10.0.0.1", port: 6379 },
        { host: "10.0.0.2", port: 6379 },
      ],
    });
    const passwordOnly = parseRedisUrl("redis+cluster://:secret@10.0.0.1:6379");
    expect(passwordOnly).toMatchObject({ password: "secret" });
    expect(passwordOnly).not.toHaveProperty("username");
  });

  it("turns TLS on with rediss+cluster:// or ?tls=true", () => {
    expect(parseRedisUrl("rediss+cluster://10.0.0.1:6379")).toMatchObject({ kind: "cluster", tls: true });
    expect(parseRedisUrl("redis+cluster://10.0.0.1:6379?tls=true")).toMatchObject({ kind: "cluster", tls: true });
    expect(parseRedisUrl("redis+cluster://10.0.0.1:6379/?tls=false")).toMatchObject({ kind: "cluster", tls: false });
  });

  it.each(["redis+cluster://", "redis+cluster://10.0.0.1", "redis+cluster://10.0.0.1:0", "redis+cluster://10.0.0.1:6379,", "redis+cluster://:6379"])(
    "refuses %s",
    (url) => {
      expect(() => parseRedisUrl(url)).toThrow(/cluster REDIS_URL/);
    },
  );
});
