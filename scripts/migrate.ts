/**
 * Applies prisma/migrations to DATABASE_URL: the migrate app (apps/migrate) run from the
 * repository's sources. Usage: tsx scripts/migrate.ts [--help]
 */
import "../apps/migrate/src/main";
