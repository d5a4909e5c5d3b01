import { lockKey, type PrismaClient } from "@wh/db";

/**
 * Holds a Stripe delivery's lock in another transaction, so every attempt of it runs out of its
 * time budget: a transient failure, until the returned function releases the lock.
 */
export async function holdDeliveryLock(prisma: PrismaClient, eventId: string): Promise<() => Promise<void>> {
  let release: () => void = () => undefined;
  let taken: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const lockTaken = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const holder = prisma.$transaction(
    async (tx) => {
      await lockKey(tx, `webhook_event:stripe:${eventId}`);
      taken();
      await held;
    },
    { timeout: 120_000 },
  );
  await lockTaken;
  return async () => {
    release();
    await holder;
  };
}
