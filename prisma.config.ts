import { defineConfig } from "prisma/config";

// Prisma 7 keeps the datasource URL here, not in schema.prisma. `prisma generate` needs no
// database, so a placeholder keeps it working on machines without DATABASE_URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/placeholder",
  },
});
