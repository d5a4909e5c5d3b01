import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface MigrationFile {
  /** Folder name, e.g. `20261127000000_init`: what `_prisma_migrations.migration_name` holds. */
  name: string;
  sql: string;
  /** SHA-256 of the file's exact bytes, hex: the checksum `prisma migrate deploy` records. */
  checksum: string;
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order, as the Prisma CLI does. */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (name) => {
      const bytes = await readFile(path.join(migrationsDir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
}
