import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { judgeDatabase, readAcceptedDeliveries, type AcceptedDelivery, type LedgerSnapshot } from "./database-check";

/** One sign-up journey's four deliveries, as processor.js records them. */
function journey(n: number): AcceptedDelivery[] {
  const user = `user_${n}`;
  return [
    { provider: "clerk", eventId: `msg_${n}`, type: "user.created", user },
    { provider: "stripe", eventId: `evt_co_${n}`, type: "checkout.session.completed", user, customer: `cus_${n}` },
    { provider: "stripe", eventId: `evt_sub_${n}`, type: "customer.subscription.created", user, customer: `cus_${n}`, subscription: `sub_${n}` },
    { provider: "stripe", eventId: `evt_in_${n}`, type: "invoice.paid" },
  ];
}

/** The ledger exactly once gives for these deliveries. */
function exactlyOnce(accepted: AcceptedDelivery[], journeys: number): LedgerSnapshot {
  return {
    rows: new Map(accepted.map((delivery) => [`${delivery.provider} ${delivery.eventId}`, ["completed"]])),
    users: journeys,
    customerLinks: journeys,
    subscriptions: journeys,
    usersOnPlan: journeys,
  };
}

describe("judgeDatabase", () => {
  const accepted = [...journey(1), ...journey(2)];

  it("passes when every accepted event has one applied row and the effects match, however often it was delivered", () => {
    const storm = accepted.flatMap((delivery) => Array.from({ length: 10 }, () => delivery));
    const verdict = judgeDatabase(storm, exactlyOnce(accepted, 2));
    expect(verdict).toMatchObject({ ok: true, acceptedDeliveries: 80, distinctEvents: 8, ledgerRows: 8, statuses: { completed: 8 }, problems: [] });
    expect(verdict.effects).toEqual([
      { name: "users", expected: 2, actual: 2 },
      { name: "customer links", expected: 2, actual: 2 },
      { name: "subscriptions", expected: 2, actual: 2 },
      { name: "users on plan pro", expected: 2, actual: 2 },
    ]);
  });

  it("counts a skipped duplicate or stale event as handled", () => {
    const ledger = exactlyOnce(accepted, 2);
    ledger.rows.set("stripe evt_in_1", ["skipped_duplicate"]);
    ledger.rows.set("stripe evt_in_2", ["skipped_stale"]);
    expect(judgeDatabase(accepted, ledger).ok).toBe(true);
  });

  it("fails on a missing row, a second row, an event not applied, and a doubled or missing effect", () => {
    const ledger = exactlyOnce(accepted, 2);
    ledger.rows.delete("clerk msg_1");
    ledger.rows.set("stripe evt_co_2", ["completed", "completed"]);
    ledger.rows.set("stripe evt_sub_2", ["deferred"]);
    ledger.subscriptions = 3;
    ledger.usersOnPlan = 1;
    const verdict = judgeDatabase(accepted, ledger);
    expect(verdict).toMatchObject({ ok: false, missing: 1, duplicated: 1, notApplied: 1 });
    expect(verdict.problems).toEqual([
      "1 accepted events have no ledger row",
      "1 accepted events have more than one ledger row",
      "1 accepted events are not applied (failed, dead or deferred)",
      "subscriptions: expected 2, found 3",
      "users on plan pro: expected 2, found 1",
    ]);
  });

  it("fails a dead event", () => {
    const ledger = exactlyOnce(accepted, 2);
    ledger.rows.set("stripe evt_in_1", ["dead"]);
    expect(judgeDatabase(accepted, ledger).problems).toEqual(["1 accepted events are not applied (failed, dead or deferred)"]);
  });
});

describe("readAcceptedDeliveries", () => {
  it("reads every accepted-*.jsonl of the run folder", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "load-accepted-"));
    const [first, second, third] = journey(1);
    writeFileSync(path.join(dir, "accepted-1-1.jsonl"), `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    writeFileSync(path.join(dir, "accepted-1-2.jsonl"), `${JSON.stringify(third)}\n`);
    writeFileSync(path.join(dir, "artillery.log"), "not a record\n");
    expect(readAcceptedDeliveries(dir).map((delivery) => delivery.eventId).sort()).toEqual(["evt_co_1", "evt_sub_1", "msg_1"]);
  });
});
