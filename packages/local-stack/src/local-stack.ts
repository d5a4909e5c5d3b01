import path from "node:path";
import { AptInstaller } from "./apt-installer";
import { findPostgresBin } from "./postgres-binaries";
import { LocalPostgres } from "./local-postgres";
import { LocalRedis } from "./local-redis";
import { serviceLog, ServiceError } from "./service-log";
import { firstNodeUrl, maskUrl, postgresQuery, redisCommand } from "./service-probes";
import { withServicesLock } from "./services-lock";

export interface LocalStackOptions {
  /** The repository root; the servers' data goes to `<root>/.data/`. */
  root: string;
  redisPort: number;
  pgPort: number;
  /** Use this Redis instead of a local one (checked, never replaced). */
  redisUrl?: string;
  /** Use this Postgres instead of a local one (checked, never replaced). */
  databaseUrl?: string;
}

export interface StackUrls {
  redisUrl: string;
  databaseUrl: string;
  /** PostgreSQL's bin folder when installed here, for tests that start throwaway clusters. */
  pgBin?: string;
}

/**
 * Redis and Postgres for the run, test, load and bench commands: the servers of REDIS_URL /
 * DATABASE_URL when set (each decided on its own), else project-local servers under `.data/`.
 */
export class LocalStack {
  readonly redis: LocalRedis;
  readonly postgres: LocalPostgres;
  private readonly dataDir: string;

  constructor(
    private readonly options: LocalStackOptions,
    private readonly installer = new AptInstaller(),
  ) {
    this.dataDir = path.join(options.root, ".data");
    this.redis = new LocalRedis(this.dataDir, options.redisPort);
    this.postgres = new LocalPostgres(options.root, this.dataDir, options.pgPort);
  }

  /** Makes both available and returns their URLs. Idempotent; holds the lock only when a local server is involved. */
  async start(): Promise<StackUrls> {
    const { redisUrl, databaseUrl } = this.options;
    const work = async (): Promise<StackUrls> => {
      const redis = redisUrl ? await checkRedisUrl(redisUrl) : await this.redis.start(this.installer);
      if (databaseUrl) {
        await checkDatabaseUrl(databaseUrl);
        return { redisUrl: redis, databaseUrl, pgBin: findPostgresBin() };
      }
      const postgres = await this.postgres.start(this.installer);
      return { redisUrl: redis, databaseUrl: postgres.url, pgBin: postgres.binDir };
    };
    return redisUrl && databaseUrl ? work() : withServicesLock(this.dataDir, work);
  }

  /** Stops the project-local servers (never the servers of the URLs); data is kept. */
  async stop(): Promise<void> {
    await withServicesLock(this.dataDir, async () => {
      await this.redis.stop();
      await this.postgres.stop();
    });
  }

  /** One line per server (and a note per URL set); `running` when both local servers answer. */
  async status(): Promise<{ running: boolean; lines: string[] }> {
    const redis = await this.redis.status();
    const postgres = await this.postgres.status();
    const notes = [
      ...(this.options.redisUrl
        ? [`note: REDIS_URL is set (${maskUrl(this.options.redisUrl)}); start would use it instead of the local Redis`]
        : []),
      ...(this.options.databaseUrl
        ? [`note: DATABASE_URL is set (${maskUrl(this.options.databaseUrl)}); start would use it instead of the local Postgres`]
        : []),
    ];
    return { running: redis.running && postgres.running, lines: [redis.line, postgres.line, ...notes] };
  }
}

/** REDIS_URL answers PING (a Redis Cluster URL on its first node); else a ServiceError that says how to fix it. */
export async function checkRedisUrl(url: string): Promise<string> {
  const masked = maskUrl(url);
  const reply = await redisCommand(firstNodeUrl(url), "PING", [], 10_000).catch((error: Error) => error.message.replace(/\.$/, ""));
  if (reply !== "PONG") {
    throw new ServiceError(
      `REDIS_URL is set to ${masked} but that Redis is not reachable: ${String(reply) || "no answer"}. Fix/start that server or unset REDIS_URL to use a project-local Redis.`,
    );
  }
  serviceLog(`redis ready at ${masked} (from REDIS_URL)`);
  return url;
}

/** DATABASE_URL accepts a connection and `SELECT 1`; else a ServiceError that says how to fix it. */
export async function checkDatabaseUrl(url: string): Promise<string> {
  const masked = maskUrl(url);
  const failure = await postgresQuery(url, "SELECT 1").then(
    () => undefined,
    (error: Error) => error.message.replace(/\.$/, "") || "no answer",
  );
  if (failure !== undefined) {
    throw new ServiceError(
      `DATABASE_URL is set to ${masked} but that Postgres is not reachable: ${failure}. Fix/start that server or unset DATABASE_URL to use a project-local Postgres.`,
    );
  }
  serviceLog(`postgres ready at ${masked} (from DATABASE_URL)`);
  return url;
}
