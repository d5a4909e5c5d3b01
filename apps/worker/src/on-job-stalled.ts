import type { Logger } from "@wh/core";
import type { WorkerMetrics } from "./worker-metrics";

/**
 * BullMQ's `stalled` event: a job's lock expired while it was active (its worker died, hung, or
 * blocked its event loop longer than the lock), and this process's stalled check moved it back
 * to wait, where it runs again. Whichever worker runs the check reports it, once per stall.
 */
export function onJobStalled(deps: { log: Logger; metrics: Pick<WorkerMetrics, "stalled"> }, queue: string) {
  return (jobId: string): void => {
    deps.metrics.stalled.inc({ queue });
    deps.log.warn({ queue, jobId }, "stalled job moved back to wait");
  };
}
