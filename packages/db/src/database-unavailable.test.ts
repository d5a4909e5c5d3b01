import { createPrismaClient } from "./prisma-client";
import { isDatabaseUnavailable } from "./database-unavailable";
import { freePort, testServers } from "@wh/testkit";

describe("isDatabaseUnavailable", () => {
  it("recognises what the Prisma client throws when nothing listens on the database port", async () => {
    const port = await freePort();
    const prisma = createPrismaClient({
      databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/webhooks`,
      poolMax: 1,
      connectionTimeoutMs: 1_000,
    });
    try {
      const errors = await Promise.all([
        prisma.user.findFirst().catch((error: unknown) => error),
        prisma.$transaction(async (tx) => tx.user.findFirst()).catch((error: unknown) => error),
        prisma.$executeRaw`SELECT 1`.catch((error: unknown) => error),
      ]);
      for (const error of errors) expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("does not mistake a query error on a healthy database for an outage", async () => {
    const prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
    try {
      const error = await prisma.$executeRawUnsafe("SELECT * FROM no_such_table").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(false);
      const timeout = await prisma
        .$transaction(async (tx) => {
          await tx.$executeRawUnsafe("SET LOCAL statement_timeout = 50");
          await tx.$executeRawUnsafe("SELECT pg_sleep(1)");
        })
        .catch((e: unknown) => e);
      expect(isDatabaseUnavailable(timeout)).toBe(false);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("recognises Postgres shutting down and plain socket errors", () => {
    expect(isDatabaseUnavailable({ code: "57P01", message: "terminating connection due to administrator command" })).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    // pg, for a transaction's connection that the server closed between two statements.
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("unique constraint failed"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
