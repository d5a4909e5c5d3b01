import { parseEnv } from "@wh/core";
import { z } from "zod";
import { checkQueueEnv, queueEnvFields } from "./queue-env";

const schema = z.object({ ...queueEnvFields, OTHER: z.string() }).superRefine(checkQueueEnv, { when: () => true });
const CLUSTER = "redis+cluster://127.0.0.1:7001,127.0.0.1:7002";

describe("the queue env fields", () => {
  it("takes a cluster URL with a hash-tagged prefix, and one shard by default", () => {
    expect(parseEnv(schema, { REDIS_URL: CLUSTER, QUEUE_PREFIX: "app:{wh}", OTHER: "x" })).toMatchObject({
      REDIS_URL: CLUSTER,
      QUEUE_PREFIX: "app:{wh}",
      WEBHOOK_QUEUE_SHARDS: 1,
    });
    expect(parseEnv(schema, { REDIS_URL: CLUSTER, OTHER: "x" }).QUEUE_PREFIX).toBe("{wh}");
  });

  it.each(["wh", "{}", "{wh", "wh{}"])("refuses QUEUE_PREFIX=%s on a cluster, saying why", (prefix) => {
    expect(() => parseEnv(schema, { REDIS_URL: CLUSTER, QUEUE_PREFIX: prefix, OTHER: "x" })).toThrow(
      /QUEUE_PREFIX: must contain a non-empty \{…\} hash tag/,
    );
  });

  it("reports the missing hash tag even when another variable is missing too", () => {
    expect(() => parseEnv(schema, { REDIS_URL: CLUSTER, QUEUE_PREFIX: "wh" })).toThrow(/OTHER[\s\S]*QUEUE_PREFIX: must contain/);
  });

  it("leaves an untagged prefix alone on a single server", () => {
    expect(parseEnv(schema, { REDIS_URL: "redis://127.0.0.1:6390", QUEUE_PREFIX: "wh", OTHER: "x" }).QUEUE_PREFIX).toBe("wh");
  });

  it("refuses a cluster URL without host:port nodes, and a shard count out of range", () => {
    expect(() => parseEnv(schema, { REDIS_URL: "redis+cluster://10.0.0.1", OTHER: "x" })).toThrow(/REDIS_URL: every node of a cluster REDIS_URL is host:port/);
    expect(() => parseEnv(schema, { REDIS_URL: CLUSTER, WEBHOOK_QUEUE_SHARDS: "0", OTHER: "x" })).toThrow(/WEBHOOK_QUEUE_SHARDS/);
    expect(() => parseEnv(schema, { REDIS_URL: CLUSTER, WEBHOOK_QUEUE_SHARDS: "65", OTHER: "x" })).toThrow(/WEBHOOK_QUEUE_SHARDS/);
  });
});
