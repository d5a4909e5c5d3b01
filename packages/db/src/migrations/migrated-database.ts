import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { createPrismaClient, type PrismaClient } from "../prisma-client";
import { applyMigrations } from "./apply-migrations";
import { PRISMA_MIGRATIONS_DIR } from "./migrations-dir";

export interface MigratedDatabase {
  name: string;
  url: string;
  prisma: PrismaClient;
  /** Disconnects and drops the database (closing other connections to it). Safe to call twice. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new database `<prefix>_<random>` on the server of `serverUrl`, with every migration applied:
 * for tests whose work is global by design (a reset of every user, a cleanup of every old row)
 * and must not touch other tests' rows.
 */
export async function createMigratedDatabase(options: {
  serverUrl: string;
  namePrefix: string;
  poolMax?: number;
}): Promise<MigratedDatabase> {
  const name = `${options.namePrefix}_${randomBytes(6).toString("hex")}`;
  await onServer(options.serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(options.serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString(), migrationsDir: PRISMA_MIGRATIONS_DIR });
  const prisma = createPrismaClient({ databaseUrl: url.toString(), poolMax: options.poolMax ?? 10 });
  let dropped = false;
  return {
    name,
    url: url.toString(),
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await onServer(options.serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
