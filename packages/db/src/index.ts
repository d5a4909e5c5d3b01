export { createPrismaClient, databasePoolOf, PrismaClient, type PrismaClientOptions } from "./prisma-client";
export type { DatabasePool, DatabasePoolOptions } from "./database-pool";
export type { ConnectionBudgetOptions } from "./connection-budget";
export type { PoolMetricsOptions } from "./pool-metrics";
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
export { PRISMA_MIGRATIONS_DIR } from "./migrations/migrations-dir";
export { createDatabase, createMigratedDatabase, type CreatedDatabase, type MigratedDatabase } from "./migrations/migrated-database";
export { boundedTransaction, type Tx } from "./bounded-transaction";
export { lockKey, lockKeyShared, lockKeysStatement } from "./advisory-locks";
export { pipelinedTransaction, type PipelinedTransaction, type Statement } from "./pipelined-transaction";
