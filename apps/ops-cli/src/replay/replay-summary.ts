import { replayAction, type EventResult, type LedgerEvent, type ReplayTally } from "@wh/ops";

const number = (n: number): string => n.toLocaleString("en-US");

/** The last line of a run: every count, with "would" in a dry run. */
export function formatSummary(tally: ReplayTally, execute: boolean): string {
  const would = execute ? "" : "would ";
  return (
    `[replay] ${execute ? "" : "dry run: "}selected ${number(tally.selected)}: ` +
    `${would}retry ${number(tally.retried)}, ${would}re-add ${number(tally.reAdded)}, ${would}replace ${number(tally.replaced)}, ` +
    `already queued ${number(tally.alreadyQueued)}, already settled ${number(tally.alreadySettled)}, ` +
    `deferred ${number(tally.deferred)}, errors ${number(tally.errors)}`
  );
}

/**
 * One stdout line per delivery: what was (would be) done, then key=value fields to grep.
 * Never the payload: it may hold personal data.
 */
export function formatEventLine(row: LedgerEvent, result: EventResult, execute: boolean): string {
  const action = replayAction(result.outcome, execute);
  const fields = [
    `provider=${row.provider}`,
    `event=${row.eventId}`,
    `type=${row.type}`,
    `status=${row.status}`,
    `received=${row.receivedAt.toISOString()}`,
  ];
  if ("jobId" in result) fields.push(`job=${result.jobId}`);
  if (result.outcome === "error") fields.push(`reason=${JSON.stringify(result.reason)}`);
  return `${action.padEnd(15)} ${fields.join(" ")}`;
}
