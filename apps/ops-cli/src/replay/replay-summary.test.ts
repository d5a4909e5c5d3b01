import { countResult, emptyTally, type LedgerEvent } from "@wh/ops";
import { formatEventLine, formatSummary } from "./replay-summary";

const row: LedgerEvent = {
  id: 1n,
  provider: "stripe",
  eventId: "evt_1",
  type: "customer.subscription.updated",
  status: "dead",
  objectId: "sub_1",
  userId: null,
  stripeCustomerId: "cus_1",
  attempts: 3,
  lastError: "boom",
  eventCreatedAt: new Date("2026-11-02T10:00:00.000Z"),
  receivedAt: new Date("2026-11-02T10:00:01.000Z"),
  processedAt: null,
  payload: { data: { object: { email: "someone@example.com" } } },
};

describe("replay summary", () => {
  it("counts every outcome once and formats thousands", () => {
    const tally = emptyTally();
    for (const outcome of ["retried", "re-added", "re-added", "already-queued"] as const) {
      countResult(tally, { outcome, jobId: "j" });
    }
    countResult(tally, { outcome: "already-settled" });
    countResult(tally, { outcome: "deferred" });
    countResult(tally, { outcome: "error", reason: "boom" });

    expect(tally).toEqual({ selected: 7, retried: 1, reAdded: 2, replaced: 0, alreadyQueued: 1, alreadySettled: 1, deferred: 1, errors: 1 });
    expect(formatSummary(tally, true)).toBe(
      "[replay] selected 7: retry 1, re-add 2, replace 0, already queued 1, already settled 1, deferred 1, errors 1",
    );
    expect(formatSummary({ ...tally, selected: 1_234 }, false)).toMatch(
      /^\[replay\] dry run: selected 1,234: would retry 1, would re-add 2,/,
    );
  });

  it("lists a delivery without its payload", () => {
    const line = formatEventLine(row, { outcome: "re-added", jobId: "stripe_evt_1_replay_1" }, false);

    expect(line).toBe(
      "would re-add    provider=stripe event=evt_1 type=customer.subscription.updated status=dead " +
        "received=2026-11-02T10:00:01.000Z job=stripe_evt_1_replay_1",
    );
    expect(formatEventLine(row, { outcome: "error", reason: 'Error: "x"' }, true)).toMatch(/^error +.* reason="Error: \\"x\\""$/);
    expect(formatEventLine(row, { outcome: "already-settled" }, true)).not.toMatch(/example\.com/);
  });
});
