/**
 * Applies prisma/migrations to DATABASE_URL the way `prisma migrate deploy` does, without the
 * native schema engine. Usage: node dist/main.js [--help] (or tsx scripts/migrate.ts in the repository)
 */
import { ConfigError } from "@wh/core";
import { applyMigrations } from "@wh/db";
import { loadMigrateEnv } from "./env";

const HELP = `Usage: migrate [--help]

Applies pending migrations from prisma/migrations to the database in DATABASE_URL, recording
them in _prisma_migrations exactly as \`prisma migrate deploy\` does (same checksums), each in
its own transaction and under Prisma's advisory lock. Safe to run concurrently and repeatedly.

Environment:
  DATABASE_URL     postgresql://user:password@host:port/database (required)
  MIGRATIONS_DIR   the migrations folder (default: the repository's prisma/migrations)
`;

async function main(): Promise<number> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const unknown = process.argv.slice(2);
  if (unknown.length > 0) {
    process.stderr.write(`migrate: unknown argument ${unknown[0]}\n\n${HELP}`);
    return 2;
  }
  const env = loadMigrateEnv();
  const result = await applyMigrations({
    databaseUrl: env.DATABASE_URL,
    migrationsDir: env.MIGRATIONS_DIR,
    onApplied: (name) => process.stderr.write(`[migrate] applied ${name}\n`),
    onWarning: (message) => process.stderr.write(`[migrate] warning: ${message}\n`),
  });
  process.stderr.write(
    `[migrate] ${result.applied.length} applied, ${result.alreadyApplied} already applied\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`migrate: ${error.message}\n`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`migrate: ${message}\n`);
    process.exit(1);
  },
);
