import { waitFor } from "@wh/testkit";
import { mixedEvents } from "./fault-events";
import { faultSuite } from "./fault-suite";
import { expectExactlyOnce, judge, report, runNumbers } from "./fault-verdict";

/**
 * Invariant 3: 2xx means the job is in Redis, 503 while Redis cannot take it; with AOF a
 * graceful Redis restart loses nothing that was acknowledged.
 */
const suite = faultSuite();

const EVENTS = 1_000;
/** Delivered before Redis stops; all of them must be acknowledged and survive the restart. */
const BURST = 300;
/** How long Redis stays down once the receiver has answered its first 503s. */
const OUTAGE_MS = 3_000;

it("answers 503 while Redis restarts and applies every acknowledged event once it is back", async () => {
  const system = await suite.start();
  const events = mixedEvents(EVENTS);
  // A burst first, faster than the worker drains it, so Redis holds a backlog when it stops.
  await system.load.run(events.slice(0, BURST), { concurrency: 20 });
  const ackedBeforeOutage = system.load.ackedEvents().length;
  const queued = await system.jobCounts();
  const backlogAtStop = queued.wait + queued.active + queued.delayed;
  await system.redis.stop();
  const downAt = Date.now();
  // Deliveries keep arriving during the outage and after it.
  const sending = system.load.run(events.slice(BURST), { concurrency: 20, ratePerSecond: 300 });
  await waitFor("the receiver to answer 503", () => system.load.stats.unavailable503 >= 20, { timeoutMs: 15_000, intervalMs: 20 });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + OUTAGE_MS - Date.now())));
  const upAt = Date.now();
  await system.redis.resume();
  await sending;

  // A provider re-sends what was not acknowledged; the receiver reconnects within seconds.
  await system.load.resendUnacked({ concurrency: 20, rounds: 10, pauseMs: 1_000 });
  expect(system.load.unackedEvents()).toEqual([]);

  await system.drain(EVENTS, 90_000);
  const verdict = await judge(system, system.load.ackedEvents());
  const during = system.load.records.filter((record) => record.startedAt >= downAt && record.finishedAt <= upAt);
  const answersDuringOutage = new Set(during.map((record) => String(record.status)));
  report("redis-restart", {
    ...runNumbers(system, verdict),
    ackedBeforeOutage,
    backlogAtStop,
    outageMs: upAt - downAt,
    answersDuringOutage: during.length,
  });
  expect(ackedBeforeOutage).toBe(BURST);
  expectExactlyOnce(verdict);
  // While Redis was down every answer was a 503 (never a 2xx, a 500 or a hang), and there were some.
  expect(during.length).toBeGreaterThan(0);
  expect([...answersDuringOutage]).toEqual(["503"]);
  expect(system.load.stats.other + system.load.stats.errors).toBe(0);
}, 180_000);
