import { waitFor } from "@wh/testkit";
import { mixedEvents } from "./fault-events";
import { faultSuite } from "./fault-suite";
import { expectExactlyOnce, judge, report, runNumbers } from "./fault-verdict";

/**
 * A deploy stops the worker with SIGTERM: it finishes the jobs in flight, takes no new ones and
 * exits 0; the next worker continues. Nothing is lost and nothing runs twice (no job is left
 * for the stalled-job check to re-run).
 */
const suite = faultSuite();

const EVENTS = 600;

it("exits 0 on SIGTERM under load, loses no job and runs none twice", async () => {
  const system = await suite.start({ workerEnv: { SHUTDOWN_DEADLINE_MS: "15000" } });
  const events = mixedEvents(EVENTS);
  const sending = system.load.run(events, { concurrency: 32, ratePerSecond: 250 });

  const activeAtSigterm = await waitFor(
    "the worker to be busy",
    async () => {
      if ((await system.db.settledCount()) < 100) return false;
      const { active } = await system.jobCounts();
      return active > 0 && active;
    },
    { timeoutMs: 60_000, intervalMs: 20 },
  );
  const exitCode = await system.stopWorker("SIGTERM", 20_000);
  const afterExit = await system.jobCounts();
  const settledAtExit = await system.db.settledCount();

  await system.startWorker();
  await sending;
  expect(system.load.unackedEvents()).toEqual([]);
  await system.drain(EVENTS, 90_000);
  const verdict = await judge(system, system.load.ackedEvents());
  const runs = await system.jobRuns();
  report("sigterm", {
    ...runNumbers(system, verdict),
    exitCode: String(exitCode),
    activeAtSigterm,
    activeAfterExit: afterExit.active,
    settledAtExit,
    interruptedRuns: runs.interrupted,
    rerunsFoundSettled: runs.foundSettled,
    retriedAfterFailure: runs.retriedAfterFailure,
  });

  expect(exitCode).toBe(0);
  // The stopping worker finished what it had: no job was left active (locked) behind it.
  expect(afterExit.active).toBe(0);
  expectExactlyOnce(verdict);
  // No job was abandoned by the stopping worker and re-run. (A retry after a failed attempt,
  // e.g. a transaction over its time budget on a starved machine, is not the shutdown's doing;
  // the audit above still proves it took effect once.)
  expect(runs.interrupted).toBe(0);
}, 180_000);
