import { AppProcess, RedisServerProcess, testServers, waitFor } from "@wh/testkit";
import { systemEnv } from "./system-env";

/**
 * Receiver and worker refuse a Redis that may evict keys (BullMQ's jobs would vanish): at start,
 * and when the policy changes under them and they reconnect. Each test has a Redis of its own.
 */
const APPS = ["receiver", "worker"] as const;
const FIX_HINT = "set maxmemory-policy noeviction";

let redis: RedisServerProcess | undefined;
let apps: AppProcess[] = [];

afterEach(async () => {
  await Promise.all(apps.map((app) => app.stop("SIGKILL")));
  apps = [];
  await redis?.destroy();
  redis = undefined;
});

function envFor(server: RedisServerProcess): Record<string, string> {
  return systemEnv({ REDIS_URL: server.url, DATABASE_URL: testServers().databaseUrl });
}

it.each(APPS)("the %s stops at start, saying how to fix it, when Redis may evict keys", async (name) => {
  redis = await RedisServerProcess.start({ maxmemoryPolicy: "allkeys-lru" });
  const app = await AppProcess.launch(name, envFor(redis));
  apps.push(app);

  expect(await app.exitCode()).toBe(1);
  expect(app.logs()).toContain('"maxmemoryPolicy":"allkeys-lru"');
  expect(app.logs()).toContain(FIX_HINT);
});

it("receiver and worker stop when the policy is changed while they run and they reconnect", async () => {
  redis = await RedisServerProcess.start();
  const env = envFor(redis);
  apps = await Promise.all(APPS.map((name) => AppProcess.start(name, env)));
  expect(apps.map((app) => app.logs()).join("")).not.toContain(FIX_HINT);

  expect(await redis.command("CONFIG", "SET", "maxmemory-policy", "volatile-lru")).toBe("OK");
  // Drops every normal client but the caller's: the apps reconnect and check again.
  await redis.command("CLIENT", "KILL", "TYPE", "normal");

  for (const app of apps) {
    expect(await app.exitCode()).toBe(1);
    expect(app.logs()).toContain('"maxmemoryPolicy":"volatile-lru"');
  }
});

it("the receiver still starts while Redis is down, answers 503, and checks the policy once Redis is up", async () => {
  redis = await RedisServerProcess.start();
  const env = envFor(redis);
  await redis.stop();
  const receiver = await AppProcess.start("receiver", env);
  apps.push(receiver);
  expect((await fetch(`${receiver.opsUrl}/readyz`)).status).toBe(503);

  await redis.resume();
  await waitFor("receiver ready", async () => (await fetch(`${receiver.opsUrl}/readyz`)).status === 200);
  expect(receiver.logs()).not.toContain(FIX_HINT);
});
