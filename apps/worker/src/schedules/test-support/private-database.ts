import { randomBytes } from "node:crypto";
import path from "node:path";
import { applyMigrations, createPrismaClient, type PrismaClient } from "@wh/db";
import { testServers } from "@wh/testkit";

const MIGRATIONS_DIR = path.resolve(__dirname, "../../../../../prisma/migrations");

export interface PrivateDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own on the test server. The schedules work on every row by design
 * (the reset closes a period for all users, the cleanup deletes all old rows), so on the shared
 * database they would touch other tests' rows.
 */
export async function createPrivateDatabase(options: { poolMax?: number } = {}): Promise<PrivateDatabase> {
  const serverUrl = testServers().databaseUrl;
  const name = `wh_schedules_${randomBytes(6).toString("hex")}`;
  const admin = createPrismaClient({ databaseUrl: serverUrl, poolMax: 1 });
  await admin.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString(), migrationsDir: MIGRATIONS_DIR });
  const prisma = createPrismaClient({ databaseUrl: url.toString(), poolMax: options.poolMax ?? 6 });
  let dropped = false;
  return {
    url: url.toString(),
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.$disconnect();
    },
  };
}
