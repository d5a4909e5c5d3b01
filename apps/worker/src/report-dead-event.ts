import type { Logger } from "@wh/core";
import type { WorkerMetrics } from "./worker-metrics";

/**
 * The one alert path of a dead event (attempts exhausted, poison, or waited past the deferral
 * horizon): `webhook_events_dead_total` and an error line with `alert: "webhook_event_dead"`.
 * `log` carries the event's provider, id and type.
 */
export function reportDeadEvent(
  log: Logger,
  metrics: WorkerMetrics,
  dead: { provider: string; type: string; attempts: number; err: string },
): void {
  metrics.dead.inc({ provider: dead.provider, type: dead.type });
  log.error({ attempts: dead.attempts, err: dead.err, alert: "webhook_event_dead" }, "event dead");
}
