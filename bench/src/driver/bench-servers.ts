import { createMigratedDatabase } from "@wh/db";
import { PostgresServerProcess, RedisServerProcess } from "@wh/local-stack";
import IORedis from "ioredis";
import { Client } from "pg";
import { parentPid } from "./process-cpu";

/** A database of one measured run; `drop` removes it. */
export interface RunDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * The benchmark's own Redis and Postgres (throwaway servers on free ports, as the fault suite
 * uses), so a run never disturbs the development servers and their CPU can be measured alone.
 */
export class BenchServers {
  private constructor(
    readonly redis: RedisServerProcess,
    readonly postgres: PostgresServerProcess,
    readonly redisPid: number,
    readonly postmasterPid: number,
    /** "Redis x.y.z; PostgreSQL x.y" */
    readonly versions: string,
  ) {}

  static async start(): Promise<BenchServers> {
    const redis = await RedisServerProcess.start();
    try {
      const postgres = await PostgresServerProcess.start();
      const client = new IORedis(redis.url);
      const info = await client.info("server");
      client.disconnect();
      const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);
      const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? "?";
      const pg = new Client({ connectionString: postgres.url() });
      await pg.connect();
      const backend = (await pg.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const postmasterPid = parentPid(backend);
      const pgVersion = (await pg.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
      await pg.end();
      return new BenchServers(redis, postgres, redisPid, postmasterPid, `Redis ${redisVersion}; PostgreSQL ${pgVersion}`);
    } catch (error) {
      await redis.destroy();
      throw error;
    }
  }

  /** A freshly migrated database for one run. */
  async newDatabase(): Promise<RunDatabase> {
    const database = await createMigratedDatabase({ serverUrl: this.postgres.url(), namePrefix: "bench", poolMax: 1 });
    await database.prisma.$disconnect();
    return { url: database.url, drop: () => database.drop() };
  }

  /** Empties Redis between runs, so each run starts from the same state. */
  async flushRedis(): Promise<void> {
    const client = new IORedis(this.redis.url);
    await client.flushall();
    client.disconnect();
  }

  async close(): Promise<void> {
    await this.postgres.destroy().catch(() => undefined);
    await this.redis.destroy().catch(() => undefined);
  }
}
