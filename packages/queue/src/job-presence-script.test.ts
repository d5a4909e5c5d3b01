import { testServers, uniqueId, waitFor } from "@wh/testkit";
import IORedis from "ioredis";
import { readJobPresence } from "./job-presence-script";
import { createProducerConnection, createWorkerConnection, type RedisConnection } from "./redis-connection";

const connections: RedisConnection[] = [];
const connect = (make: (url: string) => RedisConnection): RedisConnection => {
  const connection = make(testServers().redisUrl);
  connections.push(connection);
  return connection;
};

afterAll(() => {
  for (const connection of connections) connection.disconnect();
});

describe("readJobPresence", () => {
  it("reads existence, data and the failed score in one command", async () => {
    const redis = connect(createProducerConnection);
    await waitFor("producer connection ready", () => redis.status === "ready");
    const jobKey = uniqueId("presence:job");
    const failedKey = uniqueId("presence:failed");

    expect(await readJobPresence(redis, jobKey, failedKey, "1")).toEqual([0, null, null]);
    await redis.hset(jobKey, "name", "x");
    expect(await readJobPresence(redis, jobKey, failedKey, "1")).toEqual([1, null, null]);
    await redis.hset(jobKey, "data", '{"a":1}');
    await redis.zadd(failedKey, 42, "1");
    expect(await readJobPresence(redis, jobKey, failedKey, "1")).toEqual([1, '{"a":1}', "42"]);
    await redis.del(jobKey, failedKey);
  });

  it("still answers after Redis forgot its scripts (NOSCRIPT), on a worker connection too", async () => {
    const redis = connect(createWorkerConnection);
    await redis.script("FLUSH");
    expect(await readJobPresence(redis, uniqueId("presence:job"), uniqueId("presence:failed"), "1")).toEqual([0, null, null]);
  });

  it("refuses, clearly, a connection not made by the connection factory", () => {
    const plain = new IORedis(testServers().redisUrl, { lazyConnect: true });
    expect(() => readJobPresence(plain, "k", "f", "1")).toThrow(/connectRedis/);
    plain.disconnect();
  });
});
