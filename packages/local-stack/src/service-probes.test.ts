import { firstNodeUrl, maskUrl } from "./service-probes";

describe("maskUrl", () => {
  it.each([
    ["postgresql://postgres:secret@db:5432/webhooks", "postgresql://postgres:***@db:5432/webhooks"],
    ["redis://:secret@127.0.0.1:6379", "redis://:***@127.0.0.1:6379"],
    ["redis://127.0.0.1:6390", "redis://127.0.0.1:6390"],
    ["redis://user@host:1", "redis://user@host:1"],
  ])("%s -> %s", (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe("firstNodeUrl", () => {
  it("probes a Redis Cluster URL on its first node, keeping credentials and TLS", () => {
    expect(firstNodeUrl("redis+cluster://127.0.0.1:7001,127.0.0.1:7002")).toBe("redis://127.0.0.1:7001");
    expect(firstNodeUrl("redis+cluster://user:p%40ss@h1:7001,h2:7002?tls=true")).toBe("rediss://user:p%40ss@h1:7001");
    expect(firstNodeUrl("rediss+cluster://h1:7001")).toBe("rediss://h1:7001");
    expect(firstNodeUrl("redis://127.0.0.1:6390/2")).toBe("redis://127.0.0.1:6390/2");
  });
});
