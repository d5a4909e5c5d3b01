import { randomBytes } from "node:crypto";
import { waitFor } from "@wh/testkit";
import { BENCH_STRIPE_SECRET, startReceiver, startWorker, type RunContext, type Variant } from "./bench-apps";
import { BenchQueue } from "./bench-queue";
import type { BenchServers } from "./bench-servers";
import { CpuMeter } from "./cpu-meter";
import { summarizeLatencies } from "./latency-stats";
import { LoadGenerator } from "./load-generator";
import { perUnit, type Measurement } from "./measurement";
import { postgresCpuMicros, processCpuMicros } from "./process-cpu";
import { SubscriptionWorkload } from "./subscription-workload";
import { seedSubscriptions, verifyApplied } from "./workload-database";

export interface E2eScenarioOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  rate: number;
  durationMs: number;
  subscriptions: number;
  drainTimeoutMs: number;
}

/**
 * Receiver and worker together at a fixed offered rate. The queue depth "stays flat" when the
 * backlog at the end of the offered load is at most half a second of arrivals: the worker kept
 * up. CPU per event covers the offered window; afterwards the backlog drains and is verified.
 */
export async function runE2eScenario(variant: Variant, options: E2eScenarioOptions): Promise<Measurement> {
  const { servers } = options;
  await servers.flushRedis();
  const database = await servers.newDatabase();
  const tag = `e${randomBytes(4).toString("hex")}`;
  const context: RunContext = {
    ...options.context,
    redisUrl: servers.redis.url,
    databaseUrl: database.url,
    queuePrefix: `{bench-${tag}}`,
  };
  const workload = new SubscriptionWorkload(tag, options.subscriptions, BENCH_STRIPE_SECRET);
  const queue = BenchQueue.open(context.redisUrl, context.queuePrefix);
  try {
    await seedSubscriptions(database.url, workload);
    const receiver = await startReceiver(variant, context);
    const worker = await startWorker(variant, context);
    const generator = new LoadGenerator(receiver.url, 256);
    const accepted: number[] = [];
    let next = 0;
    const meter = new CpuMeter([
      { label: "receiver", read: () => processCpuMicros(receiver.process.pid) },
      { label: "worker", read: () => processCpuMicros(worker.pid) },
      { label: "redis", read: () => processCpuMicros(servers.redisPid) },
      { label: "postgres", read: () => postgresCpuMicros(servers.postmasterPid) },
    ]);
    meter.start();
    const result = await generator.openLoop({
      rate: options.rate,
      durationMs: options.durationMs,
      next: () => {
        const index = next++;
        const delivery = workload.delivery(index);
        return { ...delivery, onOk: () => accepted.push(index) };
      },
    });
    const cpu = meter.stop();
    const [depth, finished] = [await queue.depth(), await queue.finished()];
    await generator.close();
    await waitFor("the worker to drain the backlog", async () => (await queue.finished()) >= accepted.length, {
      timeoutMs: options.drainTimeoutMs,
      intervalMs: 100,
    });
    await Promise.all([receiver.process.stop(), worker.stop()]);
    const verdict = await verifyApplied(database.url, workload, accepted);
    return {
      scenario: `e2e, ${options.rate}/s offered`,
      variant,
      unit: "event",
      throughput: finished / (result.elapsedMs / 1000),
      latency: summarizeLatencies(result.latencies),
      cpuPerUnit: perUnit(cpu, finished),
      errors: result.latencies.length - accepted.length,
      flat: depth <= options.rate / 2,
      verified: verdict.ok,
      verification: `${verdict.detail}; backlog ${depth} at the end of the load`,
    };
  } finally {
    await queue.close();
    await database.drop();
  }
}
