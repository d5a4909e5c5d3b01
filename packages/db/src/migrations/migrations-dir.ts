import path from "node:path";

/** The repository's prisma/migrations: the same path from src/ and from dist/. */
export const PRISMA_MIGRATIONS_DIR = path.resolve(__dirname, "..", "..", "..", "..", "prisma", "migrations");
