import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { createTestDatabase, MIGRATIONS_DIR, queryDatabase, type TestDatabase } from "../test-support/test-database";
import { applyMigrations, MigrationError, PRISMA_MIGRATE_LOCK_KEY } from "./apply-migrations";

/**
 * The runner must be interchangeable with `prisma migrate deploy` (which cannot run here): the same
 * `_prisma_migrations` rows, the same lock, all-or-nothing per migration. Every test gets a database
 * of its own; custom migration sets live in temp folders.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const databases: TestDatabase[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

/** A migrations folder laid out like prisma/migrations: `<name>/migration.sql` plus the lock file. */
async function migrationSet(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "wh-migrations-"));
  tempDirs.push(dir);
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

/** What the Prisma CLI would record, computed here without the runner's own file reader. */
async function expectedMigrations(dir: string): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash("sha256").update(await readFile(path.join(dir, name, "migration.sql"))).digest("hex"),
    })),
  );
}

function migrationRows(database: TestDatabase): Promise<MigrationRow[]> {
  return queryDatabase<MigrationRow>(
    database.url,
    `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`,
  );
}

async function tableExists(database: TestDatabase, table: string): Promise<boolean> {
  const [row] = await queryDatabase<{ exists: boolean }>(
    database.url,
    `SELECT to_regclass($1) IS NOT NULL AS exists`,
    [`public.${table}`],
  );
  return row?.exists ?? false;
}

describe("applyMigrations", () => {
  it("applies every migration of prisma/migrations and records it as `prisma migrate deploy` does", async () => {
    const database = await freshDatabase();
    const expected = await expectedMigrations(MIGRATIONS_DIR);
    expect(expected.length).toBeGreaterThan(0);
    const onApplied: string[] = [];

    const result = await applyMigrations({
      databaseUrl: database.url,
      migrationsDir: MIGRATIONS_DIR,
      onApplied: (name) => onApplied.push(name),
    });

    const names = expected.map((migration) => migration.name);
    expect(result).toEqual({ applied: names, alreadyApplied: 0 });
    expect(onApplied).toEqual(names);
    const rows = await migrationRows(database);
    expect(rows).toEqual(
      expected.map((migration) => ({
        id: expect.stringMatching(UUID),
        checksum: migration.checksum,
        finished_at: expect.any(Date),
        migration_name: migration.name,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      })),
    );
    for (const row of rows) {
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    // The tables of the migrations exist (the schema test checks them in detail).
    expect(await tableExists(database, "webhook_events")).toBe(true);
  });

  it("creates _prisma_migrations with the Prisma CLI's column definitions", async () => {
    const database = await freshDatabase();
    await applyMigrations({ databaseUrl: database.url, migrationsDir: MIGRATIONS_DIR });

    const columns = await queryDatabase(
      database.url,
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = '_prisma_migrations'
        ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", character_maximum_length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", character_maximum_length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", character_maximum_length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", character_maximum_length: null, is_nullable: "NO", column_default: "0" },
    ]);
    const primaryKey = await queryDatabase(
      database.url,
      `SELECT c.conname, array_to_string(array_agg(a.attname ORDER BY k.ord), ',') AS columns
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.conrelid = '"_prisma_migrations"'::regclass AND c.contype = 'p'
        GROUP BY c.conname`,
    );
    expect(primaryKey).toEqual([{ conname: "_prisma_migrations_pkey", columns: "id" }]);
  });

  it("applies nothing on a second run", async () => {
    const database = await freshDatabase();
    const first = await applyMigrations({ databaseUrl: database.url, migrationsDir: MIGRATIONS_DIR });
    const rowsAfterFirst = await migrationRows(database);
    const onApplied = jest.fn();
    const onWarning = jest.fn();

    const second = await applyMigrations({
      databaseUrl: database.url,
      migrationsDir: MIGRATIONS_DIR,
      onApplied,
      onWarning,
    });

    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    expect(onApplied).not.toHaveBeenCalled();
    expect(onWarning).not.toHaveBeenCalled();
    expect(await migrationRows(database)).toEqual(rowsAfterFirst);
  });

  it("applies each migration once when several runners start together (advisory lock)", async () => {
    const database = await freshDatabase();
    const expected = await expectedMigrations(MIGRATIONS_DIR);
    const names = expected.map((migration) => migration.name);

    const results = await Promise.all(
      [1, 2, 3].map(() => applyMigrations({ databaseUrl: database.url, migrationsDir: MIGRATIONS_DIR })),
    );

    // Between them the runners applied every migration exactly once; the others found it done.
    const appliedByAll = results.flatMap((result) => result.applied).sort();
    expect(appliedByAll).toEqual(names);
    for (const result of results) {
      expect(result.applied.length + result.alreadyApplied).toBe(names.length);
    }
    const rows = await migrationRows(database);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
  });

  it("waits while another process (e.g. the Prisma CLI) holds Prisma's migrate lock", async () => {
    const database = await freshDatabase();
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
      let settled = false;
      const run = applyMigrations({ databaseUrl: database.url, migrationsDir: MIGRATIONS_DIR }).finally(() => {
        settled = true;
      });

      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(settled).toBe(false);
      expect(await tableExists(database, "_prisma_migrations")).toBe(false);

      await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
      const result = await run;
      expect(result.applied).toEqual((await expectedMigrations(MIGRATIONS_DIR)).map((migration) => migration.name));
    } finally {
      await holder.end();
    }
  });

  it("rolls a failing migration back entirely, names it, and keeps the earlier one applied", async () => {
    const database = await freshDatabase();
    const dir = await migrationSet({
      "20260101000000_first": `CREATE TABLE "first_table" ("id" INTEGER PRIMARY KEY);\n`,
      "20260102000000_broken":
        `CREATE TABLE "broken_a" ("id" INTEGER PRIMARY KEY);\n` +
        `CREATE TABLE "broken_b" ("id" INTEGER PRIMARY KEY);\n` +
        `INSERT INTO "first_table" ("id") VALUES (1);\n` +
        `SELECT * FROM "no_such_table";\n`,
    });
    const onApplied: string[] = [];

    const error = await applyMigrations({
      databaseUrl: database.url,
      migrationsDir: dir,
      onApplied: (name) => onApplied.push(name),
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain("20260102000000_broken");
    expect((error as Error).message).toContain("no_such_table");
    expect(onApplied).toEqual(["20260101000000_first"]);
    expect(await tableExists(database, "first_table")).toBe(true);
    expect(await tableExists(database, "broken_a")).toBe(false);
    expect(await tableExists(database, "broken_b")).toBe(false);
    expect(await queryDatabase(database.url, `SELECT * FROM "first_table"`)).toEqual([]);
    const rows = await migrationRows(database);
    expect(rows.map((row) => [row.migration_name, row.finished_at !== null])).toEqual([
      ["20260101000000_first", true],
    ]);

    // Nothing was left half-done: once the migration is fixed, the next run applies it.
    await writeFile(
      path.join(dir, "20260102000000_broken", "migration.sql"),
      `CREATE TABLE "broken_a" ("id" INTEGER PRIMARY KEY);\n`,
    );
    const retry = await applyMigrations({ databaseUrl: database.url, migrationsDir: dir });
    expect(retry).toEqual({ applied: ["20260102000000_broken"], alreadyApplied: 1 });
    expect(await tableExists(database, "broken_a")).toBe(true);
  });

  it("refuses to run while a migration is recorded as started but not finished", async () => {
    const database = await freshDatabase();
    const dir = await migrationSet({
      "20260101000000_first": `CREATE TABLE "first_table" ("id" INTEGER PRIMARY KEY);\n`,
    });
    await applyMigrations({ databaseUrl: database.url, migrationsDir: dir });
    // What `prisma migrate deploy` leaves behind when a migration fails half-way.
    await queryDatabase(
      database.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, repeat('0', 64), '20260102000000_half_done', 'boom', now(), 0)`,
    );
    await mkdir(path.join(dir, "20260103000000_next"));
    await writeFile(path.join(dir, "20260103000000_next", "migration.sql"), `CREATE TABLE "next_table" ("id" INTEGER);\n`);

    const run = applyMigrations({ databaseUrl: database.url, migrationsDir: dir });

    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/20260102000000_half_done started but did not finish/);
    await expect(run).rejects.toThrow(/prisma migrate resolve --rolled-back 20260102000000_half_done/);
    expect(await tableExists(database, "next_table")).toBe(false);
    expect((await migrationRows(database)).map((row) => row.migration_name)).toEqual([
      "20260101000000_first",
      "20260102000000_half_done",
    ]);
  });

  it("applies a migration again once its failed row is marked rolled back", async () => {
    const database = await freshDatabase();
    const dir = await migrationSet({
      "20260101000000_first": `CREATE TABLE "first_table" ("id" INTEGER PRIMARY KEY);\n`,
    });
    // `prisma migrate resolve --rolled-back` sets rolled_back_at on the failed row.
    await applyMigrations({ databaseUrl: database.url, migrationsDir: await migrationSet({}) });
    await queryDatabase(
      database.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, rolled_back_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, repeat('0', 64), '20260101000000_first', now(), now(), 0)`,
    );

    const result = await applyMigrations({ databaseUrl: database.url, migrationsDir: dir });

    expect(result).toEqual({ applied: ["20260101000000_first"], alreadyApplied: 0 });
    expect(await tableExists(database, "first_table")).toBe(true);
    const rows = await migrationRows(database);
    expect(rows.map((row) => [row.migration_name, row.rolled_back_at !== null, row.finished_at !== null]).sort()).toEqual([
      ["20260101000000_first", false, true],
      ["20260101000000_first", true, false],
    ]);
  });

  it("warns through onWarning when an applied migration was modified afterwards, and does not re-apply it", async () => {
    const database = await freshDatabase();
    const dir = await migrationSet({
      "20260101000000_first": `CREATE TABLE "first_table" ("id" INTEGER PRIMARY KEY);\n`,
      "20260102000000_second": `CREATE TABLE "second_table" ("id" INTEGER PRIMARY KEY);\n`,
    });
    await applyMigrations({ databaseUrl: database.url, migrationsDir: dir });
    const rowsBefore = await migrationRows(database);
    await appendFile(path.join(dir, "20260101000000_first", "migration.sql"), `-- edited after it was applied\n`);
    const warnings: string[] = [];

    const result = await applyMigrations({
      databaseUrl: database.url,
      migrationsDir: dir,
      onWarning: (message) => warnings.push(message),
    });

    expect(result).toEqual({ applied: [], alreadyApplied: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("20260101000000_first");
    expect(warnings[0]).toMatch(/checksum/);
    // The record keeps the checksum of what actually ran.
    expect(await migrationRows(database)).toEqual(rowsBefore);
  });
});
