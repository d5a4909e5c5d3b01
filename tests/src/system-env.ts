import { TEST_CLERK_SECRET, TEST_JOB_SIGNING_KEY, TEST_STRIPE_SECRET, testServers, uniqueQueuePrefix } from "@wh/testkit";

/** Environment for a receiver + worker pair on the test servers, on queues of their own. */
export function systemEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { redisUrl, databaseUrl } = testServers();
  return {
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: uniqueQueuePrefix(),
    STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET,
    CLERK_WEBHOOK_SECRET: TEST_CLERK_SECRET,
    JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY,
    DATABASE_POOL_MAX: "10",
    WORKER_CONCURRENCY: "4",
    ...overrides,
  };
}
