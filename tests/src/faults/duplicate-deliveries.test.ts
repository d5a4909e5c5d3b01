import { webhookJobId } from "@wh/queue";
import { waitFor } from "@wh/testkit";
import { clerkSignup, deliver, eventKey, stripeSubscriptionCreated, type FaultEvent } from "./fault-events";
import { faultSuite } from "./fault-suite";
import type { FaultSystem } from "./fault-system";
import { expectExactlyOnce, judge, report } from "./fault-verdict";

/**
 * Invariants 4 and 5: the job id dedupes concurrent deliveries in Redis, and Postgres (the
 * ledger) still knows the event once its job is gone from Redis.
 */
const suite = faultSuite();

const CONCURRENT = 50;

async function completedJob(system: FaultSystem, event: FaultEvent) {
  const queue = system.queues[event.provider];
  const jobId = webhookJobId(event.provider, event.eventId);
  await waitFor(`job ${jobId} completed`, async () => (await queue.getJobState(jobId)) === "completed", {
    timeoutMs: 30_000,
  });
  return (await queue.getJob(jobId))!;
}

it(`turns ${CONCURRENT} concurrent deliveries, and one after the job left Redis, into one effect`, async () => {
  const system = await suite.start();
  const events = [clerkSignup(), stripeSubscriptionCreated()];
  const statuses: (number | "error")[] = [];

  for (const event of events) {
    statuses.push(...(await Promise.all(Array.from({ length: CONCURRENT }, () => deliver(system.receiver.url, event)))));
  }
  const firstRuns = await Promise.all(events.map((event) => completedJob(system, event)));
  const ledgerBefore = await system.db.ledger();

  // Redis forgets the job (removeOnComplete age, an operator, a flush); the provider delivers again.
  let redeliveredRunsFoundSettled = 0;
  for (const event of events) {
    const queue = system.queues[event.provider];
    const jobId = webhookJobId(event.provider, event.eventId);
    await queue.remove(jobId);
    expect(await queue.getJob(jobId)).toBeUndefined();
    statuses.push(await deliver(system.receiver.url, event));
    const rerun = await completedJob(system, event);
    if ((rerun.returnvalue as { alreadySettled?: boolean }).alreadySettled) redeliveredRunsFoundSettled++;
  }

  await system.drain(events.length);
  const verdict = await judge(system, events);
  const ledgerAfter = await system.db.ledger();
  report("duplicates", {
    events: events.length,
    sent: statuses.length,
    acked: statuses.filter((status) => status === 200).length,
    applied: verdict.applied,
    doubleEffects: verdict.doubleEffects.length,
    dead: verdict.dead,
    redeliveredRunsFoundSettled,
  });

  expect(statuses).toEqual(Array(statuses.length).fill(200));
  expectExactlyOnce(verdict);
  for (const [index, event] of events.entries()) {
    expect(firstRuns[index]!.returnvalue).toMatchObject({ status: "completed", alreadySettled: false });
    const before = ledgerBefore.get(eventKey(event));
    expect(before).toMatchObject({ status: "completed", attempts: 1 });
    expect(ledgerAfter.get(eventKey(event))).toEqual(before);
  }
  expect(ledgerAfter.size).toBe(events.length);
  expect(redeliveredRunsFoundSettled).toBe(events.length);
}, 120_000);
