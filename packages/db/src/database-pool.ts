import pg from "pg";

export interface DatabasePoolOptions {
  databaseUrl: string;
  /** Connections this process may hold; N processes × poolMax must stay under the server's limit. */
  poolMax: number;
  /** How long a query may wait for a free pool connection before failing. */
  connectionTimeoutMs?: number;
  /**
   * Every statement's budget, as a connection option (no statement per transaction to set it);
   * work that needs more sets its own with `SET LOCAL`. Unset: no limit.
   */
  statementTimeoutMs?: number;
}

/**
 * The one bounded `pg` pool of a process; Prisma's driver adapter runs on it. Its clients run in
 * pipeline mode: queries issued without awaiting each other go out back to back in one network
 * exchange (pipelined-transaction.ts). A caller that awaits each query, as Prisma does, sees no
 * difference.
 */
export function createDatabasePool(options: DatabasePoolOptions): pg.Pool {
  return new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    pipeline: true,
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
  });
}

export type DatabasePool = pg.Pool;
