import { databaseUrl, parseEnv } from "@wh/core";
import { PRISMA_MIGRATIONS_DIR } from "@wh/db";
import { z } from "zod";

const migrateEnvSchema = z.object({
  DATABASE_URL: databaseUrl,
  /**
   * The folder of migrations: the repository's prisma/migrations by default. A deployed copy
   * (docker/Dockerfile's migrate image) carries them elsewhere and sets this.
   */
  MIGRATIONS_DIR: z.string().min(1).default(PRISMA_MIGRATIONS_DIR),
});

export type MigrateEnv = z.infer<typeof migrateEnvSchema>;

export function loadMigrateEnv(env: NodeJS.ProcessEnv = process.env): MigrateEnv {
  return parseEnv(migrateEnvSchema, env);
}
