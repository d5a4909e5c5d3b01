import { waitFor } from "@wh/testkit";
import { mixedEvents } from "./fault-events";
import { faultSuite } from "./fault-suite";
import { expectExactlyOnce, judge, report, runNumbers } from "./fault-verdict";

/**
 * Invariant 10: a Postgres outage does not burn the attempts of queued events. The receiver
 * gives jobs only 3 attempts 200 ms apart, so without the worker's pause on "database
 * unreachable" every event touched during the outage would be dead within a second or two.
 */
const suite = faultSuite();

const EVENTS = 1_000;
const OUTAGE_MS = 20_000;

it(`sends nothing to dead during a ${OUTAGE_MS / 1000} s Postgres outage and applies everything after it`, async () => {
  const system = await suite.start({
    receiverEnv: { JOB_ATTEMPTS: "3", JOB_BACKOFF_MS: "200" },
    workerEnv: { DATABASE_OUTAGE_PAUSE_MS: "1000" },
  });
  const events = mixedEvents(EVENTS);
  // Paced so that deliveries keep arriving during the whole outage.
  const sending = system.load.run(events, { concurrency: 16, ratePerSecond: 40 });

  await waitFor("200 events applied before the outage", async () => (await system.db.settledCount()) >= 200, {
    timeoutMs: 30_000,
    intervalMs: 50,
  });
  await system.postgres.stop();
  const ackedBeforeOutage = system.load.ackedEvents().length;
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const ackedDuringOutage = system.load.ackedEvents().length - ackedBeforeOutage;
  const duringOutage = await system.jobCounts();
  await system.postgres.resume();
  system.assertWorkerAlive();
  await sending;
  expect(system.load.unackedEvents()).toEqual([]);

  await system.drain(EVENTS, 90_000);
  const verdict = await judge(system, system.load.ackedEvents());
  // The same worker ran the whole test: its counters cover the outage.
  const failedAttempts = await system.workerMetric("webhook_event_failed_attempts_total");
  const deadCounted = await system.workerMetric("webhook_events_dead_total");
  const attemptsSpent = [...(await system.db.ledger()).values()].filter((row) => row.attempts !== 1).length;
  report("postgres-outage", {
    ...runNumbers(system, verdict),
    outageMs: OUTAGE_MS,
    ackedDuringOutage,
    failedJobsAtOutageEnd: duringOutage.failed,
    failedAttempts,
    deadCounted,
    attemptsSpent,
  });
  // The receiver does not need Postgres: it kept acknowledging during the outage.
  expect(ackedDuringOutage).toBeGreaterThan(0);
  expect(duringOutage.failed).toBe(0);
  expectExactlyOnce(verdict);
  // The outage cost no attempt: no failed attempt counted, every event completed on its first.
  expect({ failedAttempts, deadCounted, attemptsSpent }).toEqual({ failedAttempts: 0, deadCounted: 0, attemptsSpent: 0 });
}, 180_000);
