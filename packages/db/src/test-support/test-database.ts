import { randomBytes } from "node:crypto";
import path from "node:path";
import { Client, type QueryResultRow } from "pg";
import { testServers } from "@wh/testkit";

/** The repository's prisma/ folder: schema.prisma and migrations/, the single source of the schema. */
export const PRISMA_DIR = path.resolve(__dirname, "../../../../prisma");
export { PRISMA_MIGRATIONS_DIR as MIGRATIONS_DIR } from "../migrations/migrations-dir";
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");

/** A database of its own on the test server, so tests never see each other's tables or migration rows. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/** Runs `sql` on the server's maintenance connection (the DATABASE_URL database). */
async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: testServers().databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE wh_test_<random> on the server of DATABASE_URL; the caller drops it in afterEach/afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wh_test_${randomBytes(6).toString("hex")}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(testServers().databaseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Runs one query on a database and closes the connection: for assertions, not for hot paths. */
export async function queryDatabase<Row extends QueryResultRow>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Row>(sql, params);
    return rows;
  } finally {
    await client.end();
  }
}
