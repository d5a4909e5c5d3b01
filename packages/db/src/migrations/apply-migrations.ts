import { randomUUID } from "node:crypto";
import { Client } from "pg";
import { readMigrationFiles } from "./migration-files";

/** The advisory lock key of `prisma migrate`, so this runner and the Prisma CLI exclude each other. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Prisma's own bookkeeping table, created exactly as the Prisma CLI creates it. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDir: string;
  onApplied?: (name: string) => void;
  onWarning?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  applied: string[];
  alreadyApplied: number;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations like `prisma migrate deploy`, without the native schema engine:
 * under Prisma's advisory lock, each migration in its own transaction together with its
 * `_prisma_migrations` row (same checksum), so the Prisma CLI can take over at any time.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const files = await readMigrationFiles(options.migrationsDir);
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} started but did not finish. Fix the database by hand, then mark it ` +
            `rolled back (prisma migrate resolve --rolled-back ${failed.migration_name}) before applying again.`,
        );
      }
      const done = new Map(rows.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row]));
      const applied: string[] = [];
      for (const file of files) {
        const previous = done.get(file.name);
        if (previous) {
          if (previous.checksum !== file.checksum) {
            options.onWarning?.(`migration ${file.name} was modified after it was applied (checksum differs)`);
          }
          continue;
        }
        await applyOne(client, file.name, file.sql, file.checksum);
        applied.push(file.name);
        options.onApplied?.(file.name);
      }
      return { applied, alreadyApplied: files.length - applied.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyOne(client: Client, name: string, sql: string, checksum: string): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), checksum, name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${name} failed and was rolled back: ${reason}`);
  }
}
