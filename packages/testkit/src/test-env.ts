import { randomUUID } from "node:crypto";

/** The servers the test command started (scripts/test.sh exports their URLs). */
export function testServers(): { redisUrl: string; databaseUrl: string } {
  const redisUrl = process.env.REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL;
  if (!redisUrl || !databaseUrl) {
    throw new Error("REDIS_URL and DATABASE_URL must be set: run the tests through scripts/test.sh");
  }
  return { redisUrl, databaseUrl };
}

/** A BullMQ prefix of its own, so a test's queues never meet another test's. */
export function uniqueQueuePrefix(): string {
  return `{test-${randomUUID().slice(0, 8)}}`;
}
