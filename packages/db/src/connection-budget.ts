import type pg from "pg";

/** Share of the usable connections a deployment should plan to use; the rest is headroom. */
export const CONNECTION_BUDGET_SHARE = 0.9;

/** The server's limits, as read from a live connection. */
export interface ServerConnectionLimits {
  maxConnections: number;
  superuserReservedConnections: number;
  /** `reserved_connections` (Postgres 16+); 0 on older servers. */
  reservedConnections: number;
}

export interface ConnectionBudgetCheck {
  limits: ServerConnectionLimits;
  /** Connections this process (or supervisor of `processes` processes) may hold. */
  held: number;
  /** floor(0.9 × (max_connections − superuser_reserved_connections − reserved_connections)). */
  budget: number;
  fits: boolean;
  /** The arithmetic, for the log line. */
  formula: string;
}

/** What the check logs through: a pino logger fits. */
export interface ConnectionBudgetLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
}

export interface ConnectionBudgetOptions {
  log: ConnectionBudgetLog;
  /** Processes that each hold a pool of this size (the worker's WORKER_PROCESSES); default 1. */
  processes?: number;
}

export async function readServerConnectionLimits(pool: pg.Pool): Promise<ServerConnectionLimits> {
  const { rows } = await pool.query<{ max: number; superuser: number; reserved: number }>(
    `SELECT current_setting('max_connections')::int AS max,
            current_setting('superuser_reserved_connections')::int AS superuser,
            coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`,
  );
  const row = rows[0]!;
  return { maxConnections: row.max, superuserReservedConnections: row.superuser, reservedConnections: row.reserved };
}

export function judgeConnectionBudget(limits: ServerConnectionLimits, poolMax: number, processes = 1): ConnectionBudgetCheck {
  const usable = limits.maxConnections - limits.superuserReservedConnections - limits.reservedConnections;
  const budget = Math.floor(CONNECTION_BUDGET_SHARE * usable);
  const held = poolMax * processes;
  const fits = held <= budget;
  const formula =
    `DATABASE_POOL_MAX ${poolMax} × processes ${processes} = ${held} ${fits ? "<=" : ">"} ` +
    `${CONNECTION_BUDGET_SHARE} × (max_connections ${limits.maxConnections} − superuser_reserved_connections ` +
    `${limits.superuserReservedConnections} − reserved_connections ${limits.reservedConnections}) = ${budget}`;
  return { limits, held, budget, fits, formula };
}

/**
 * Checks once, after the pool's first successful connection (start is never blocked, nor
 * failed, while Postgres is down), that the pool fits the server's connection limit with 10 %
 * headroom; logs the formula, as a warning when it does not fit. A check that fails (the server
 * went away again) is retried on the next new connection.
 */
export function checkConnectionBudgetWhenConnected(pool: pg.Pool, poolMax: number, options: ConnectionBudgetOptions): void {
  let checking = false;
  const onConnect = () => {
    if (checking) return;
    checking = true;
    readServerConnectionLimits(pool).then(
      (limits) => {
        pool.off("connect", onConnect);
        const check = judgeConnectionBudget(limits, poolMax, options.processes);
        const context = { held: check.held, budget: check.budget, formula: check.formula };
        if (check.fits) options.log.info(context, "postgres connection budget fits");
        else options.log.warn(context, "postgres connection budget exceeded: lower DATABASE_POOL_MAX or processes, or raise max_connections");
      },
      () => {
        checking = false;
      },
    );
  };
  pool.on("connect", onConnect);
}
