/**
 * Whether an error means "Postgres cannot be reached right now" (down, restarting, refusing
 * connections), as opposed to an error of the query or the data. Workers pause on these instead
 * of spending a job's attempts on an outage.
 */
const PRISMA_CONNECTION_CODES = new Set(["P1001", "P1002", "P1017"]);
const ADAPTER_CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now; class 08 is "connection exception". */
const POSTGRES_UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03"]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|not queryable|connection timeout|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Can't reach database server|the database system is (shutting down|starting up)/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== "object") return false;
  const candidate = error as ErrorLike;
  if (typeof candidate.code === "string" && PRISMA_CONNECTION_CODES.has(candidate.code)) return true;
  if (typeof candidate.kind === "string" && ADAPTER_CONNECTION_KINDS.has(candidate.kind)) return true;
  for (const code of [candidate.code, candidate.originalCode]) {
    if (typeof code === "string" && (POSTGRES_UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  }
  if (typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
  return (
    isDatabaseUnavailable(candidate.meta?.driverAdapterError?.cause, depth + 1) ||
    isDatabaseUnavailable(candidate.cause, depth + 1)
  );
}
