import type { PrismaClient, Tx } from "@wh/db";
import { uniqueId } from "@wh/testkit";

export interface TestUser {
  id: string;
  clerkUserId: string;
}

/** A user row as the worker would have written it; `plan: null` is a user without a plan. */
export async function createUser(
  prisma: PrismaClient,
  options: { plan: string | null; deleted?: boolean },
): Promise<TestUser> {
  return prisma.user.create({
    data: {
      clerkUserId: uniqueId("user"),
      currentPlan: options.plan,
      deletedAt: options.deleted ? new Date() : null,
    },
    select: { id: true, clerkUserId: true },
  });
}

/** Removes the users (their counters cascade) and their idempotency keys. */
export async function deleteUsers(prisma: PrismaClient, users: readonly TestUser[]): Promise<void> {
  const ids = users.map((user) => user.id);
  await prisma.usageIdempotencyKey.deleteMany({ where: { userId: { in: ids } } });
  await prisma.user.deleteMany({ where: { id: { in: ids } } });
}

/** A fixed instant, so that tests never depend on the month they run in. */
export const at = (isoString: string): Date => new Date(isoString);

/**
 * A year of its own for a test file on the shared database: its clocks sit in that year, so the
 * periods it creates are its own and nobody's reset closes them (they have not ended).
 */
export function privateYear(): number {
  return 2200 + Math.floor(Math.random() * 7000);
}

/** Removes the usage_periods rows a test created in its private year. */
export async function deletePeriodsOfYear(prisma: PrismaClient, year: number): Promise<void> {
  await prisma.usagePeriod.deleteMany({
    where: { periodStart: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) } },
  });
}

/** A transaction the test keeps open (as an in-flight request would) until it calls commit(). */
export async function holdTransaction(prisma: PrismaClient, work: (tx: Tx) => Promise<void>): Promise<{ commit(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ready!: () => void;
  let failed!: (error: unknown) => void;
  const isReady = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const transaction = prisma.$transaction(
    async (tx) => {
      await work(tx);
      ready();
      await released;
    },
    { timeout: 60_000 },
  );
  transaction.catch(failed);
  await isReady;
  return {
    async commit() {
      release();
      await transaction;
    },
  };
}
