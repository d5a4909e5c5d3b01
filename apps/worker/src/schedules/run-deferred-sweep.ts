import { expireDeferredEvents } from "../deferred/expire-deferred-events";
import { releaseDeferredEvents, type ReleaseDependencies } from "../deferred/release-deferred-events";
import { reportDeadEvent } from "../report-dead-event";
import type { WorkerMetrics } from "../worker-metrics";

const HOUR_MS = 60 * 60 * 1000;

export interface DeferredSweepSummary {
  cutoff: string;
  expired: number;
  released: number;
}

/**
 * The safety net of deferred events (they normally run the moment their key appears): events
 * whose key exists are released, and events still waiting after `horizonHours` (counted from
 * receipt) become `dead` with the dead-event alert. Safe on several workers at once: a release
 * twice is a no-op (see release-deferred-events.ts), and an UPDATE expires each row once.
 */
export async function runDeferredSweep(
  deps: ReleaseDependencies & { metrics: WorkerMetrics; clock: () => Date },
  settings: { horizonHours: number },
): Promise<DeferredSweepSummary> {
  const cutoff = new Date(deps.clock().getTime() - settings.horizonHours * HOUR_MS);
  const expired = await expireDeferredEvents(deps.prisma, cutoff);
  for (const event of expired) {
    const log = deps.log.child({ provider: event.provider, eventId: event.eventId, type: event.type });
    reportDeadEvent(log, deps.metrics, { provider: event.provider, type: event.type, attempts: 0, err: `no ${event.waitKey} within ${settings.horizonHours} h` });
  }
  const released = await releaseDeferredEvents(deps);
  const summary = { cutoff: cutoff.toISOString(), expired: expired.length, released };
  deps.log.info({ ...summary, horizonHours: settings.horizonHours }, "deferred events swept");
  return summary;
}
