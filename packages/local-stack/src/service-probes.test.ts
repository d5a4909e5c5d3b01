import { maskUrl } from "./service-probes";

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
