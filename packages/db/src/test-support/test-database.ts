import path from "node:path";
import { Client, type QueryResultRow } from "pg";
import { testServers } from "@wh/testkit";
import { createDatabase, type CreatedDatabase } from "../migrations/migrated-database";
import { PRISMA_MIGRATIONS_DIR } from "../migrations/migrations-dir";

export { PRISMA_MIGRATIONS_DIR as MIGRATIONS_DIR } from "../migrations/migrations-dir";
/** The single source of the schema, beside the migrations. */
export const SCHEMA_PATH = path.join(path.dirname(PRISMA_MIGRATIONS_DIR), "schema.prisma");

/** A database of its own on the test server, so tests never see each other's tables or migration rows. */
export type TestDatabase = CreatedDatabase;

/** CREATE DATABASE wh_test_<random> on the server of DATABASE_URL; the caller drops it in afterEach/afterAll. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_test" });
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
