import { eventKey, type FaultEvent } from "./fault-events";
import type { FaultSystem } from "./fault-system";

/** What happened to the acknowledged events of a run, from the ledger, the effect audit and Redis. */
export interface Verdict {
  /** Acknowledged events: each must be applied exactly once. */
  expected: number;
  /** Of those: ledger `completed` and every entity written by exactly one transaction. */
  applied: number;
  /** Acknowledged, but no settled ledger row after the drain (none, `failed`, or still `deferred`). */
  lost: string[];
  /** Settled with another status than `completed` (dead, skipped, ignored). */
  notCompleted: string[];
  /** Entities written by more than one transaction: an event applied twice (whole database). */
  doubleEffects: string[];
  /** Entities of a completed event that no transaction wrote. */
  missingEffects: string[];
  /** Ledger rows in `dead` plus jobs in BullMQ's failed set. */
  dead: number;
}

export async function judge(system: FaultSystem, events: readonly FaultEvent[]): Promise<Verdict> {
  const [ledger, effects, counts] = await Promise.all([
    system.db.ledger(),
    system.db.effectTransactions(),
    system.jobCounts(),
  ]);
  const verdict: Verdict = {
    expected: events.length,
    applied: 0,
    lost: [],
    notCompleted: [],
    doubleEffects: [...effects].filter(([, transactions]) => transactions > 1).map(([entity]) => entity),
    missingEffects: [],
    dead: [...ledger.values()].filter((row) => row.status === "dead").length + counts.failed,
  };
  for (const event of events) {
    const key = eventKey(event);
    const row = ledger.get(key);
    if (!row || row.status === "failed" || row.status === "deferred") {
      verdict.lost.push(key);
      continue;
    }
    if (row.status !== "completed") {
      verdict.notCompleted.push(`${key}=${row.status}`);
      continue;
    }
    const missing = event.entities.filter((entity) => (effects.get(entity) ?? 0) === 0);
    verdict.missingEffects.push(...missing);
    if (missing.length === 0 && event.entities.every((entity) => effects.get(entity) === 1)) verdict.applied++;
  }
  return verdict;
}

/** Every acknowledged event applied exactly once, none lost, none dead. */
export function expectExactlyOnce(verdict: Verdict): void {
  expect({
    lost: verdict.lost.slice(0, 10),
    notCompleted: verdict.notCompleted.slice(0, 10),
    doubleEffects: verdict.doubleEffects.slice(0, 10),
    missingEffects: verdict.missingEffects.slice(0, 10),
    dead: verdict.dead,
  }).toEqual({ lost: [], notCompleted: [], doubleEffects: [], missingEffects: [], dead: 0 });
  expect(verdict.applied).toBe(verdict.expected);
}

/** One line per test with its numbers, e.g. `[fault:sigkill] sent=2000 acked=2000 applied=2000 ...`. */
export function report(name: string, numbers: Record<string, number | string>): void {
  const fields = Object.entries(numbers).map(([key, value]) => `${key}=${value}`);
  process.stderr.write(`[fault:${name}] ${fields.join(" ")}\n`);
}

/** The usual fields of a run's report line. */
export function runNumbers(system: FaultSystem, verdict: Verdict): Record<string, number> {
  const { stats } = system.load;
  return {
    events: verdict.expected + system.load.unackedEvents().length,
    sent: stats.sent,
    acked: system.load.ackedEvents().length,
    "503s": stats.unavailable503,
    otherStatus: stats.other,
    httpErrors: stats.errors,
    applied: verdict.applied,
    lost: verdict.lost.length,
    doubleEffects: verdict.doubleEffects.length,
    dead: verdict.dead,
  };
}
