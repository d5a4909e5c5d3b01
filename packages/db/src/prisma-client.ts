import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export { PrismaClient };

export interface PrismaClientOptions {
  databaseUrl: string;
  /** Connections this process may hold; N processes × poolMax must stay under the server's limit. */
  poolMax: number;
  /** How long a query may wait for a free pool connection before failing. */
  connectionTimeoutMs?: number;
}

/**
 * Builds the one Prisma client of a process: driver adapter over a bounded `pg` pool, no native
 * engine. Call it once at start and pass the client down; never per request.
 */
export function createPrismaClient(options: PrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
