import type { PrismaClient } from "@wh/db";
import { countResult, emptyTally, pageLedgerEvents, replayOrReport, type EventResult, type LedgerEvent, type LimitedFilter, type ReplayTally } from "@wh/ops";
import type { ReplayWebhookJobOptions } from "@wh/queue";

export interface AdminReplayResult {
  tally: ReplayTally;
  events: { row: LedgerEvent; result: EventResult }[];
}

const PAGE_SIZE = 200;

/**
 * The replay CLI's run for one request: the filter's rows, oldest first, each replayed (or, in a
 * dry run, planned: Redis is read, nothing written) by the shared `replayOrReport`.
 */
export async function runAdminReplay(
  prisma: PrismaClient,
  queue: ReplayWebhookJobOptions,
  filter: LimitedFilter,
  execute: boolean,
): Promise<AdminReplayResult> {
  const tally = emptyTally();
  const events: AdminReplayResult["events"] = [];
  for await (const row of pageLedgerEvents(prisma, filter, PAGE_SIZE)) {
    const result = await replayOrReport(queue, row, execute);
    countResult(tally, result);
    events.push({ row, result });
  }
  return { tally, events };
}
