import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { createPrismaClient, type PrismaClient } from "../prisma-client";
import { applyMigrations } from "./apply-migrations";
import { PRISMA_MIGRATIONS_DIR } from "./migrations-dir";

export interface CreatedDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

export interface MigratedDatabase extends CreatedDatabase {
  prisma: PrismaClient;
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

/** A new, empty database `<prefix>_<random>` on the server of `serverUrl` (any database of it). */
export async function createDatabase(options: { serverUrl: string; namePrefix: string }): Promise<CreatedDatabase> {
  const name = `${options.namePrefix}_${randomBytes(6).toString("hex")}`;
  await onServer(options.serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(options.serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(options.serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/**
 * A new database with every migration applied and a client on it: for tests whose work is
 * global by design (a reset of every user, a cleanup of every old row) and must not touch other
 * tests' rows, or that stop their own server.
 */
export async function createMigratedDatabase(options: {
  serverUrl: string;
  namePrefix: string;
  poolMax?: number;
  connectionTimeoutMs?: number;
}): Promise<MigratedDatabase> {
  const database = await createDatabase(options);
  await applyMigrations({ databaseUrl: database.url, migrationsDir: PRISMA_MIGRATIONS_DIR });
  const prisma = createPrismaClient({
    databaseUrl: database.url,
    poolMax: options.poolMax ?? 10,
    connectionTimeoutMs: options.connectionTimeoutMs,
  });
  return {
    ...database,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
