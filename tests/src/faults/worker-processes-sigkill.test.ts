import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@wh/testkit";
import { mixedEvents } from "./fault-events";
import { faultSuite } from "./fault-suite";
import type { FaultSystem } from "./fault-system";
import { expectExactlyOnce, judge, report, runNumbers } from "./fault-verdict";

/**
 * Invariant 10 with the worker scaled out: two supervisors of two worker processes each
 * (WORKER_PROCESSES=2) share one queue while a worker process is SIGKILLed every few seconds.
 * The supervisors restart them; every acknowledged event is applied exactly once.
 */
const suite = faultSuite();

const SUPERVISORS = 2;
const PROCESSES = 2;
const EVENTS = 3_000;
/**
 * 20 s of sending on a quiet machine: time for several kills. The rate keeps jobs in flight most
 * of the time: a job takes a few milliseconds, and at 40/s the processes were idle at nearly every
 * moment the test looked for one to kill while jobs are active.
 */
const RATE_PER_SECOND = 150;
const KILL_EVERY_MS = 2_500;
/** A process is killed only after it ran this long (it took jobs), and only while jobs are active. */
const MIN_AGE_MS = 2_000;

async function supervisorMetric(system: FaultSystem, name: string): Promise<number> {
  let sum = 0;
  for (const url of system.workerUrls()) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split("\n")) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

it(`applies each of ${EVENTS} events exactly once across ${SUPERVISORS} supervisors × ${PROCESSES} processes while processes are SIGKILLed`, async () => {
  const system = await suite.start({ workerEnv: { WORKER_PROCESSES: String(PROCESSES) } });
  for (let more = 1; more < SUPERVISORS; more++) await system.startWorker();
  const firstSeen = new Map<number, number>();
  const alive = () => {
    const pids = system.workerProcessPids();
    for (const pid of pids) if (!firstSeen.has(pid)) firstSeen.set(pid, Date.now());
    return pids;
  };
  await waitFor("every worker process to run", () => alive().length === SUPERVISORS * PROCESSES, { timeoutMs: 30_000 });

  const started = Date.now();
  let sendingDone = false;
  const sending = system.load.run(mixedEvents(EVENTS), { concurrency: 32, ratePerSecond: RATE_PER_SECOND }).finally(() => {
    sendingDone = true;
  });

  const killed: number[] = [];
  while (!sendingDone) {
    await sleep(KILL_EVERY_MS);
    const victim = await waitFor(
      "a worker process that has run a while, while jobs are active",
      async () => {
        if (sendingDone) return -1;
        const ripe = alive().filter((pid) => Date.now() - firstSeen.get(pid)! >= MIN_AGE_MS);
        if (ripe.length === 0 || (await system.jobCounts()).active === 0) return undefined;
        return ripe[Math.floor(Math.random() * ripe.length)];
      },
      { timeoutMs: 30_000, intervalMs: 5 },
    );
    if (victim === -1) break;
    process.kill(victim, "SIGKILL");
    killed.push(victim);
  }
  await sending;
  // A provider re-sends what a receiver slowed by the shared cores did not acknowledge.
  await system.load.resendUnacked({ concurrency: 8, rounds: 5, pauseMs: 1_000 });
  const sendSeconds = (Date.now() - started) / 1000;
  expect(system.load.unackedEvents()).toEqual([]);

  await system.drain(EVENTS, 120_000);
  const seconds = (Date.now() - started) / 1000;
  const verdict = await judge(system, system.load.ackedEvents());
  const runs = await system.jobRuns();
  // Every killed process was replaced by its supervisor.
  await waitFor("every killed process to be restarted", () => alive().length === SUPERVISORS * PROCESSES, { timeoutMs: 40_000 });
  const restarts = await supervisorMetric(system, "worker_process_restarts_total");
  report("worker-processes", {
    ...runNumbers(system, verdict),
    supervisors: SUPERVISORS,
    processes: PROCESSES,
    kills: killed.length,
    restarts,
    interruptedRuns: runs.interrupted,
    rerunsFoundSettled: runs.foundSettled,
    sendSeconds: sendSeconds.toFixed(1),
    eventsPerSecond: (verdict.applied / seconds).toFixed(0),
  });
  expectExactlyOnce(verdict);
  expect(killed.length).toBeGreaterThanOrEqual(3);
  expect(restarts).toBe(killed.length);
  // The kills interrupted jobs in flight: those were re-run by other processes.
  expect(runs.interrupted).toBeGreaterThan(0);
}, 360_000);
