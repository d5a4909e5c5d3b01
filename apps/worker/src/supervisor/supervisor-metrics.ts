import { AggregatorRegistry, Counter, Gauge, Registry } from "prom-client";
import type { SupervisedProcesses } from "./supervisor-channel";

export interface SupervisorMetrics {
  /** Renders like a registry: the processes' metrics aggregated (summed), plus the supervisor's own. */
  registry: Pick<Registry, "metrics" | "contentType">;
  /** Alert on a steady increase: a worker process keeps dying. */
  restarts: Counter<"slot">;
}

export function createSupervisorMetrics(processes: SupervisedProcesses): SupervisorMetrics {
  const own = new Registry();
  new Gauge({
    name: "worker_processes",
    help: "Worker processes running under this supervisor that answer it.",
    registers: [own],
    collect() {
      this.set(processes.listeningCount);
    },
  });
  const restarts = new Counter({
    name: "worker_process_restarts_total",
    help: "Worker processes that died and were restarted by the supervisor, by slot.",
    labelNames: ["slot"],
    registers: [own],
  });
  return {
    restarts,
    registry: {
      contentType: own.contentType,
      metrics: async () => {
        const [children, supervisor] = await Promise.all([processes.metrics(), own.getMetricsAsJSON()]);
        return AggregatorRegistry.aggregate([...children, supervisor]).metrics();
      },
    },
  };
}
