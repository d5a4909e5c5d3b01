import { waitFor } from "@wh/local-stack";
import { startOurWorker, startReceiver, type RunContext } from "./bench-apps";
import type { BenchQueue } from "./bench-queue";
import type { BenchServers } from "./bench-servers";
import { summarizeLatencies, type LatencySummary } from "./latency-stats";
import { countOk, LoadGenerator } from "./load-generator";
import { RssSampler } from "./rss-sampler";
import { memoryReport, type MemoryReport, type RssPoint } from "./soak-memory";
import { withSubscriptionRun } from "./subscription-run";
import { verifyApplied } from "./workload-database";

/** Seconds of the capacity probe, and its closed-loop connections: enough for a backlog even when the machine is busy. */
export const PROBE_SECONDS = 15;
export const PROBE_CONNECTIONS = 16;

export interface SoakScenarioOptions {
  servers: BenchServers;
  context: Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;
  /** Offered events/s; unset, half the capacity the probe measures. */
  rate: number | undefined;
  durationMs: number;
  warmUpMs: number;
  subscriptions: number;
  drainTimeoutMs: number;
}

export interface SoakResult {
  /** The rate offered during the soak, and where it came from. */
  rate: number;
  /** Events/s applied end to end during the probe (undefined when `--rate` was given). */
  probedCapacity: number | undefined;
  accepted: number;
  errors: number;
  latency: LatencySummary;
  /** Jobs not finished when the offered load ended (the worker kept up when it is at most half a second of arrivals). */
  backlogAtEnd: number;
  rss: Record<string, RssPoint[]>;
  memory: MemoryReport[];
  verified: boolean;
  verification: string;
}

const drain = (queue: BenchQueue, timeoutMs: number) =>
  waitFor("the worker to drain the backlog", async () => (await queue.depth()) === 0, { timeoutMs, intervalMs: 500 });

/**
 * The memory soak of our built receiver and worker (issue 8): signed deliveries offered open
 * loop at a fixed rate for the duration while each process's RSS is read every second, then the
 * backlog drains and every accepted event is verified, as in the e2e scenario. Without a rate, a
 * probe first offers a closed loop of PROBE_CONNECTIONS connections for PROBE_SECONDS: the events
 * the worker applied per second meanwhile are the capacity (a lower bound of the highest rate
 * with a flat queue: the receiver, answering as fast as it can, takes CPU the worker would get at
 * a lower rate), and the soak runs at half of it. Drains wait for an empty queue, not for a count
 * of completed jobs (the queue keeps at most 50,000).
 */
export async function runSoakScenario(options: SoakScenarioOptions, log: (message: string) => void): Promise<SoakResult> {
  return withSubscriptionRun(
    { servers: options.servers, context: options.context, subscriptions: options.subscriptions, tagPrefix: "s" },
    async ({ context, workload, queue, databaseUrl, processes }) => {
      const receiver = await startReceiver("ours", context);
      processes.push(receiver.process);
      const worker = await startOurWorker(context);
      processes.push(worker.process);
      const generator = new LoadGenerator(receiver.url, 256);
      const { next: deliver, accepted } = workload.sequence();

      let probedCapacity: number | undefined;
      if (options.rate === undefined) {
        log(`capacity probe: closed loop, ${PROBE_CONNECTIONS} connections, ${PROBE_SECONDS} s`);
        const probe = await generator.closedLoop({ lanes: PROBE_CONNECTIONS, until: { durationMs: PROBE_SECONDS * 1000 }, next: deliver });
        const backlog = await queue.depth();
        const seconds = probe.elapsedMs / 1000;
        probedCapacity = (countOk(probe) - backlog) / seconds;
        log(`  accepted ${Math.round(countOk(probe) / seconds)}/s, applied ${Math.round(probedCapacity)}/s, backlog ${backlog}; draining it`);
        await drain(queue, options.drainTimeoutMs);
      }
      const rate = options.rate ?? Math.max(1, Math.floor(probedCapacity! / 2));
      log(`soak: ${rate}/s offered for ${options.durationMs / 1000} s (warm-up ${options.warmUpMs / 1000} s), RSS every second`);

      const sampler = new RssSampler([
        { label: "receiver", pid: receiver.process.pid },
        { label: "worker", pid: worker.process.pid },
      ]);
      const acceptedBefore = accepted.length;
      sampler.start();
      const result = await generator.openLoop({ rate, durationMs: options.durationMs, next: deliver });
      sampler.stop();
      const backlogAtEnd = await queue.depth();
      await generator.close();
      await drain(queue, options.drainTimeoutMs);
      await Promise.all([receiver.process.stop(), worker.process.stop()]);
      const verdict = await verifyApplied(databaseUrl, workload, accepted);
      const window = { warmUpSeconds: options.warmUpMs / 1000, endSeconds: options.durationMs / 1000 };
      return {
        rate,
        probedCapacity,
        accepted: accepted.length - acceptedBefore,
        errors: result.latencies.length - countOk(result),
        latency: summarizeLatencies(result.latencies),
        backlogAtEnd,
        rss: sampler.series,
        memory: Object.entries(sampler.series).map(([label, points]) => memoryReport(label, points, window)),
        verified: verdict.ok,
        verification: `${verdict.detail}; backlog ${backlogAtEnd} at the end of the load`,
      };
    },
  );
}
