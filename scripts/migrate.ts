/**
 * Applies prisma/migrations to DATABASE_URL the way `prisma migrate deploy` does, without the
 * native schema engine. Usage: tsx scripts/migrate.ts [--help]
 */
import { applyMigrations, PRISMA_MIGRATIONS_DIR } from "@wh/db";

const HELP = `Usage: migrate [--help]

Applies pending migrations from prisma/migrations to the database in DATABASE_URL, recording
them in _prisma_migrations exactly as \`prisma migrate deploy\` does (same checksums), each in
its own transaction and under Prisma's advisory lock. Safe to run concurrently and repeatedly.

Environment:
  DATABASE_URL   postgresql://user:password@host:port/database (required)
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
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write("migrate: DATABASE_URL is not set\n");
    return 2;
  }
  const result = await applyMigrations({
    databaseUrl,
    migrationsDir: PRISMA_MIGRATIONS_DIR,
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
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`migrate: ${message}\n`);
    process.exit(1);
  },
);
