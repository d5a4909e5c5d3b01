import type { Prisma, PrismaClient } from "./generated/prisma/client";

export type Tx = Prisma.TransactionClient;

/** The database did not answer within the budget. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

/**
 * Runs `work` in one transaction that cannot outlive `timeoutMs`: Postgres cancels a statement
 * past it (`statement_timeout`, which also bounds lock waits), Prisma rolls the transaction back
 * past it, and the caller stops waiting shortly after even when no connection can be had (a
 * server that accepts TCP but never answers). Prisma has no query cancellation, so the budget
 * must be enforced by Postgres itself.
 */
export async function boundedTransaction<T>(
  prisma: PrismaClient,
  timeoutMs: number,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const budget = Math.max(1, Math.floor(timeoutMs));
  const run = prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${budget}`);
      return work(tx);
    },
    { timeout: budget, maxWait: budget },
  );
  return withDeadline(run, budget + 250);
}

/** `work`, or DeadlineExceededError after `ms`, whichever comes first. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`no answer from the database within ${ms} ms`)), ms);
  });
  // The losing promise still settles later; its rejection must not become an unhandled one.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
