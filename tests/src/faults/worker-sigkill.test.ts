import { waitFor } from "@wh/testkit";
import { mixedEvents } from "./fault-events";
import { faultSuite } from "./fault-suite";
import { expectExactlyOnce, judge, report, runNumbers } from "./fault-verdict";

/** Invariant 10: no acknowledged event is lost, or applied twice, when the worker crashes. */
const suite = faultSuite();

const EVENTS = 2_000;
const KILLS = 5;
/** Settled events each worker must add before it is killed, so every kill hits a working worker. */
const PROGRESS_PER_WORKER = 100;

it(`applies each of ${EVENTS} events exactly once while the worker is SIGKILLed ${KILLS} times`, async () => {
  const system = await suite.start();
  const events = mixedEvents(EVENTS);
  const sending = system.load.run(events, { concurrency: 32, ratePerSecond: 250 });

  let kills = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    const base = await system.db.settledCount();
    // Kill only a worker that is busy: it has settled events of its own and jobs are active.
    await waitFor(
      `worker ${kill} to settle ${PROGRESS_PER_WORKER} more events`,
      async () => (await system.db.settledCount()) >= base + PROGRESS_PER_WORKER && (await system.jobCounts()).active > 0,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    expect(await system.stopWorker("SIGKILL")).toBeNull();
    kills++;
    await system.startWorker();
  }
  await sending;
  expect(system.load.unackedEvents()).toEqual([]);

  await system.drain(EVENTS, 90_000);
  const verdict = await judge(system, system.load.ackedEvents());
  const runs = await system.jobRuns();
  report("sigkill", {
    ...runNumbers(system, verdict),
    kills,
    interruptedRuns: runs.interrupted,
    rerunsFoundSettled: runs.foundSettled,
    retriedAfterFailure: runs.retriedAfterFailure,
  });
  expectExactlyOnce(verdict);
  expect(kills).toBe(KILLS);
  // The kills interrupted jobs in flight: those were re-run by the next worker.
  expect(runs.interrupted).toBeGreaterThan(0);
}, 180_000);
