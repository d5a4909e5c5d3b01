export { createPrismaClient, PrismaClient, type PrismaClientOptions } from "./prisma-client";
export { Prisma } from "./generated/prisma/client";
export type { EventStatus, Provider } from "./generated/prisma/enums";
export {
  applyMigrations,
  MigrationError,
  PRISMA_MIGRATE_LOCK_KEY,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
} from "./migrations/apply-migrations";
export { readMigrationFiles, type MigrationFile } from "./migrations/migration-files";
export { isDatabaseUnavailable } from "./database-unavailable";
