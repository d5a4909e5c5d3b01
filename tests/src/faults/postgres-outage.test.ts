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

const EVENTS = 800;
/** Sent only once Postgres is down, so "acknowledged during the outage" never depends on pacing. */
const EVENTS_DURING_OUTAGE = 200;
const OUTAGE_MS = 20_000;

it(`sends nothing to dead during a ${OUTAGE_MS / 1000} s Postgres outage and applies everything after it`, async () => {
  const system = await suite.start({
    receiverEnv: { JOB_ATTEMPTS: "3", JOB_BACKOFF_MS: "200" },
    // A roomy budget per attempt: only the outage, not a slow transaction, should fail attempts.
    workerEnv: { DATABASE_OUTAGE_PAUSE_MS: "1000", JOB_TIMEOUT_MS: "5000", LOCK_DURATION_MS: "10000" },
  });
  const events = mixedEvents(EVENTS);
  const sending = system.load.run(events.slice(0, EVENTS - EVENTS_DURING_OUTAGE), { concurrency: 16, ratePerSecond: 40 });

  await waitFor("200 events applied before the outage", async () => (await system.db.settledCount()) >= 200, {
    timeoutMs: 30_000,
    intervalMs: 50,
  });
  await system.postgres.stop();
  const ackedBeforeOutage = system.load.ackedEvents().length;
  // Paced to spread over the outage, however far the first batch got on a busy machine.
  const sendingDuringOutage = system.load.run(events.slice(EVENTS - EVENTS_DURING_OUTAGE), {
    concurrency: 8,
    ratePerSecond: (EVENTS_DURING_OUTAGE * 1000) / (OUTAGE_MS / 2),
  });
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const ackedDuringOutage = system.load.ackedEvents().length - ackedBeforeOutage;
  const duringOutage = await system.jobCounts();
  await system.postgres.resume();
  system.assertWorkerAlive();
  await Promise.all([sending, sendingDuringOutage]);
  expect(system.load.unackedEvents()).toEqual([]);

  await system.drain(EVENTS, 90_000);
  const verdict = await judge(system, system.load.ackedEvents());
  // The same worker ran the whole test: its counters cover the outage. Failed attempts are
  // reported, not asserted: a starved machine can fail an attempt by its time budget alone.
  const failedAttempts = await system.workerMetric("webhook_event_failed_attempts_total");
  const deadCounted = await system.workerMetric("webhook_events_dead_total");
  const attemptsSpent = [...(await system.db.ledger()).values()].filter((row) => row.attempts !== 1).length;
  const runs = await system.jobRuns();
  report("postgres-outage", {
    ...runNumbers(system, verdict),
    outageMs: OUTAGE_MS,
    ackedDuringOutage,
    failedJobsAtOutageEnd: duringOutage.failed,
    failedAttempts,
    deadCounted,
    attemptsSpent,
    runsHandedBack: runs.interrupted,
  });
  // The receiver does not need Postgres: it kept acknowledging during the outage.
  expect(ackedDuringOutage).toBeGreaterThan(0);
  expect(duringOutage.failed).toBe(0);
  // The outage reached the worker: it handed jobs back to the queue instead of failing them.
  expect(runs.interrupted).toBeGreaterThan(0);
  expectExactlyOnce(verdict);
  expect(deadCounted).toBe(0);
}, 180_000);
