import type { createProducerConnection } from "@wh/queue";

/** How long Redis may take to accept the connection before a command gives up. */
const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The producer connection has no offline queue (commands sent before it is ready fail) and keeps
 * reconnecting: wait for it, through connection errors, for a bounded time.
 */
export async function waitForRedis(redis: ReturnType<typeof createProducerConnection>): Promise<void> {
  let lastError: string | undefined;
  // Stays attached: without a listener, ioredis reports every later connection error as unhandled.
  redis.on("error", (error: Error) => {
    lastError = error.message;
  });
  if (redis.status === "ready") return;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => redis.once("ready", () => resolve()));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis not reachable within ${REDIS_CONNECT_TIMEOUT_MS} ms (${lastError ?? "no answer"})`)),
      REDIS_CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
