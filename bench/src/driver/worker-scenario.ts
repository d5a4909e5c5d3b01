import { performance } from "node:perf_hooks";
import { waitFor } from "@wh/local-stack";
import { startReceiver, startWorker, type RunContext, type Variant } from "./bench-apps";
import type { BenchServers } from "./bench-servers";
import { CpuMeter } from "./cpu-meter";
import { countOk, LoadGenerator } from "./load-generator";
import { perUnit, type Measurement } from "./measurement";
import { postgresCpuMicros, processCpuMicros } from "./process-cpu";
import { withSubscriptionRun } from "./subscription-run";
import { verifyApplied } from "./workload-database";

export interface WorkerScenarioOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  events: number;
  subscriptions: number;
  drainTimeoutMs: number;
}

/**
 * The worker's capacity: the queue is paused and filled through the variant's own receiver
 * (so the jobs are exactly what that receiver writes), then the worker is started, the queue
 * resumed, and the drain measured from resume to the last finished job.
 */
export async function runWorkerScenario(variant: Variant, options: WorkerScenarioOptions): Promise<Measurement> {
  const { servers } = options;
  return withSubscriptionRun(
    { servers, context: options.context, subscriptions: options.subscriptions, tagPrefix: "w" },
    async ({ context, workload, queue, databaseUrl, processes }) => {
      await queue.pause();
      const receiver = await startReceiver(variant, { ...context, cpuProfileDir: undefined });
      processes.push(receiver.process);
      const generator = new LoadGenerator(receiver.url, 16);
      let next = 0;
      const filled = await generator.closedLoop({ lanes: 16, until: { requests: options.events }, next: () => workload.delivery(next++) });
      await generator.close();
      await receiver.process.stop();
      const accepted = countOk(filled);
      if (accepted !== options.events) throw new Error(`filling the queue: ${accepted} of ${options.events} deliveries accepted`);

      const worker = await startWorker(variant, context);
      processes.push(worker);
      const meter = new CpuMeter([
        { label: "worker", read: () => processCpuMicros(worker.pid) },
        { label: "redis", read: () => processCpuMicros(servers.redisPid) },
        { label: "postgres", read: () => postgresCpuMicros(servers.postmasterPid) },
      ]);
      meter.start();
      const started = performance.now();
      await queue.resume();
      await waitFor("the worker to drain the queue", async () => (await queue.finished()) >= accepted, {
        timeoutMs: options.drainTimeoutMs,
        intervalMs: 20,
      });
      const elapsedMs = performance.now() - started;
      const cpu = meter.stop();
      await worker.stop();
      const verdict = await verifyApplied(databaseUrl, workload, Array.from({ length: accepted }, (_, i) => i));
      return {
        scenario: `worker, ${options.events} subscription updates over ${options.subscriptions} subscriptions, concurrency ${options.context.concurrency}`,
        variant,
        unit: "event",
        throughput: accepted / (elapsedMs / 1000),
        cpuPerUnit: perUnit(cpu, accepted),
        errors: 0,
        verified: verdict.ok,
        verification: verdict.detail,
      };
    },
  );
}
