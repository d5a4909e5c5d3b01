import { waitFor } from "@wh/local-stack";
import { startReceiver, startWorker, type RunContext, type Variant } from "./bench-apps";
import type { BenchServers } from "./bench-servers";
import { CpuMeter } from "./cpu-meter";
import { summarizeLatencies } from "./latency-stats";
import { countOk, LoadGenerator } from "./load-generator";
import { perUnit, type Measurement } from "./measurement";
import { postgresCpuMicros, processCpuMicros } from "./process-cpu";
import { withSubscriptionRun } from "./subscription-run";
import { verifyApplied } from "./workload-database";

export interface E2eScenarioOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  rate: number;
  durationMs: number;
  warmUpMs: number;
  subscriptions: number;
  drainTimeoutMs: number;
}

/**
 * Receiver and worker together at a fixed offered rate. The queue depth "stays flat" when the
 * backlog at the end of the offered load is at most half a second of arrivals: the worker kept
 * up. After a warm-up (drained before measuring), CPU per event covers the offered window;
 * afterwards the backlog drains and every accepted event is verified.
 */
export async function runE2eScenario(variant: Variant, options: E2eScenarioOptions): Promise<Measurement> {
  const { servers } = options;
  return withSubscriptionRun(
    { servers, context: options.context, subscriptions: options.subscriptions, tagPrefix: "e" },
    async ({ context, workload, queue, databaseUrl, processes }) => {
      const receiver = await startReceiver(variant, context);
      processes.push(receiver.process);
      const worker = await startWorker(variant, context);
      processes.push(worker);
      const generator = new LoadGenerator(receiver.url, 256);
      const { next: deliver, accepted } = workload.sequence();
      const drained = () =>
        waitFor("the worker to drain the backlog", async () => (await queue.finished()) >= accepted.length, {
          timeoutMs: options.drainTimeoutMs,
          intervalMs: 100,
        });
      await generator.closedLoop({ lanes: 4, until: { durationMs: options.warmUpMs }, next: deliver });
      await drained();
      const finishedBefore = await queue.finished();
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
        next: deliver,
      });
      const cpu = meter.stop();
      const depth = await queue.depth();
      const finished = (await queue.finished()) - finishedBefore;
      await generator.close();
      await drained();
      await Promise.all([receiver.process.stop(), worker.stop()]);
      const verdict = await verifyApplied(databaseUrl, workload, accepted);
      return {
        scenario: `e2e, ${options.rate}/s offered`,
        variant,
        unit: "event",
        throughput: finished / (result.elapsedMs / 1000),
        latency: summarizeLatencies(result.latencies),
        cpuPerUnit: perUnit(cpu, finished),
        errors: result.latencies.length - countOk(result),
        flat: depth <= options.rate / 2,
        verified: verdict.ok,
        verification: `${verdict.detail}; backlog ${depth} at the end of the load`,
      };
    },
  );
}
