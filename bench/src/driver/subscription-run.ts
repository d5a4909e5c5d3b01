import { randomBytes } from "node:crypto";
import { BENCH_STRIPE_SECRET, type RunContext } from "./bench-apps";
import type { BenchProcess } from "./bench-process";
import { BenchQueue } from "./bench-queue";
import type { BenchServers } from "./bench-servers";
import { SubscriptionWorkload } from "./subscription-workload";
import { seedSubscriptions } from "./workload-database";

/** What one measured run of the subscription workload works with. */
export interface SubscriptionRun {
  context: RunContext;
  workload: SubscriptionWorkload;
  queue: BenchQueue;
  databaseUrl: string;
  /** Processes the run starts; each is stopped when the run ends, however it ends. */
  processes: BenchProcess[];
}

export interface SubscriptionRunOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  subscriptions: number;
  /** Marks the run's queue prefix and ids, e.g. `w` (worker) or `e` (end to end). */
  tagPrefix: string;
}

/**
 * A fresh database seeded with the workload's subscriptions, an empty Redis and a queue prefix
 * of the run's own; afterwards the processes are stopped and the database dropped.
 */
export async function withSubscriptionRun<T>(options: SubscriptionRunOptions, body: (run: SubscriptionRun) => Promise<T>): Promise<T> {
  const { servers } = options;
  await servers.flushRedis();
  const database = await servers.newDatabase();
  const tag = `${options.tagPrefix}${randomBytes(4).toString("hex")}`;
  const context: RunContext = {
    ...options.context,
    redisUrl: servers.redis.url,
    databaseUrl: database.url,
    queuePrefix: `{bench-${tag}}`,
  };
  const workload = new SubscriptionWorkload(tag, options.subscriptions, BENCH_STRIPE_SECRET);
  const queue = BenchQueue.open(context.redisUrl, context.queuePrefix);
  const processes: BenchProcess[] = [];
  try {
    await seedSubscriptions(database.url, workload);
    return await body({ context, workload, queue, databaseUrl: database.url, processes });
  } finally {
    await Promise.all(processes.map((started) => started.stop()));
    await queue.close();
    await database.drop();
  }
}
