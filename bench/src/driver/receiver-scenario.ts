import { randomBytes } from "node:crypto";
import { BENCH_STRIPE_SECRET, startReceiver, type RunContext, type Variant } from "./bench-apps";
import { BenchQueue } from "./bench-queue";
import type { BenchServers } from "./bench-servers";
import { CpuMeter } from "./cpu-meter";
import { summarizeLatencies } from "./latency-stats";
import { countOk, LoadGenerator } from "./load-generator";
import { perUnit, type Measurement } from "./measurement";
import { processCpuMicros } from "./process-cpu";
import { SubscriptionWorkload } from "./subscription-workload";

export type ReceiverLoad = { kind: "closed"; connections: number } | { kind: "open"; rate: number };

export interface ReceiverScenarioOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  load: ReceiverLoad;
  durationMs: number;
  warmUpMs: number;
  subscriptions: number;
}

export const receiverScenarioName = (load: ReceiverLoad) =>
  load.kind === "closed" ? `receiver, closed loop, ${load.connections} connections` : `receiver, open loop ${load.rate}/s`;

/**
 * One receiver (bare or ours) alone on the benchmark's Redis, no worker: a warm-up, then the
 * measured load. Verified when Redis holds exactly one job per delivery answered 2xx.
 */
export async function runReceiverScenario(variant: Variant, options: ReceiverScenarioOptions): Promise<Measurement> {
  await options.servers.flushRedis();
  const tag = `r${randomBytes(4).toString("hex")}`;
  const context: RunContext = {
    ...options.context,
    redisUrl: options.servers.redis.url,
    databaseUrl: options.servers.postgres.url(),
    queuePrefix: `{bench-${tag}}`,
  };
  const workload = new SubscriptionWorkload(tag, options.subscriptions, BENCH_STRIPE_SECRET);
  let next = 0;
  const deliver = () => workload.delivery(next++);
  const receiver = await startReceiver(variant, context);
  const queue = BenchQueue.open(context.redisUrl, context.queuePrefix);
  const load = options.load;
  const generator = new LoadGenerator(receiver.url, load.kind === "closed" ? load.connections : 256);
  try {
    const warmUp = await generator.closedLoop({ lanes: 8, until: { durationMs: options.warmUpMs }, next: deliver });
    const meter = new CpuMeter([
      { label: "receiver", read: () => processCpuMicros(receiver.process.pid) },
      { label: "redis", read: () => processCpuMicros(options.servers.redisPid) },
    ]);
    meter.start();
    const result =
      load.kind === "closed"
        ? await generator.closedLoop({ lanes: load.connections, until: { durationMs: options.durationMs }, next: deliver })
        : await generator.openLoop({ rate: load.rate, durationMs: options.durationMs, next: deliver });
    const cpu = meter.stop();
    const ok = countOk(result);
    const accepted = countOk(warmUp) + ok;
    const jobs = await queue.total();
    return {
      scenario: receiverScenarioName(load),
      variant,
      unit: "req",
      throughput: ok / (result.elapsedMs / 1000),
      latency: summarizeLatencies(result.latencies),
      cpuPerUnit: perUnit(cpu, ok),
      errors: result.latencies.length - ok,
      verified: jobs === accepted,
      verification: `${jobs} jobs in Redis for ${accepted} deliveries answered 2xx`,
    };
  } finally {
    await generator.close();
    await queue.close();
    await receiver.process.stop();
  }
}
