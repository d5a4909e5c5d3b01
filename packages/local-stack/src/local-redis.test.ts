import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AptInstaller } from "./apt-installer";
import { freePort } from "./free-port";
import { LocalRedis } from "./local-redis";
import { pidAlive, readPidFile } from "./process-alive";
import { RedisServerProcess } from "./redis-server-process";
import { redisCommand } from "./service-probes";

describe("LocalRedis (a real redis-server daemon)", () => {
  let dataDir: string;
  let redis: LocalRedis;
  const installer = new AptInstaller();
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "wh-local-redis-"));
    redis = new LocalRedis(dataDir, await freePort());
  });
  afterEach(async () => {
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts with production's settings, reuses itself on a second start, and stops", async () => {
    expect(await redis.status()).toMatchObject({ running: false });
    await expect(redis.start(installer)).resolves.toBe(redis.url);
    const pid = readPidFile(path.join(redis.dir, "redis.pid"))!;
    expect(await redisCommand(redis.url, "CONFIG", ["GET", "maxmemory-policy"])).toEqual(["maxmemory-policy", "noeviction"]);
    expect(await redisCommand(redis.url, "CONFIG", ["GET", "appendonly"])).toEqual(["appendonly", "yes"]);
    expect(await redis.status()).toEqual({ running: true, line: `redis:    running   ${redis.url} (pid ${pid}, dir ${redis.dir})` });

    await expect(redis.start(installer)).resolves.toBe(redis.url);
    expect(readPidFile(path.join(redis.dir, "redis.pid"))).toBe(pid);

    await redis.stop();
    expect(pidAlive(pid)).toBe(false);
    expect(await redis.status()).toEqual({ running: false, line: `redis:    stopped   (port ${redis.port})` });
  });

  it("removes a stale pid file (its process is gone) and starts", async () => {
    const deadPid = spawnSync("true").pid!;
    const pidFile = path.join(redis.dir, "redis.pid");
    rmSync(redis.dir, { recursive: true, force: true });
    await redis.start(installer);
    await redis.stop();
    writeFileSync(pidFile, `${deadPid}\n`);
    expect((await redis.status()).line).toContain(`stale pid file ${pidFile}`);
    await redis.start(installer);
    expect(readPidFile(pidFile)).not.toBe(deadPid);
    expect(await redis.status()).toMatchObject({ running: true });
  });

  it("refuses a port served by another Redis and leaves that one running", async () => {
    const other = await RedisServerProcess.start();
    try {
      const onOtherPort = new LocalRedis(dataDir, other.port);
      await expect(onOtherPort.start(installer)).rejects.toThrow(/is served by another Redis .*not this project's/);
      await onOtherPort.stop();
      expect(await other.command("PING")).toBe("PONG");
      expect(existsSync(path.join(onOtherPort.dir, "redis.pid"))).toBe(false);
    } finally {
      await other.destroy();
    }
  });
});
