import type { PrismaClient } from "@wh/db";
import {
  countLedgerEvents,
  countResult,
  emptyTally,
  findLedgerEvents,
  pageLedgerEvents,
  replayOrReport,
  type LedgerEvent,
  type ReplayTally,
} from "@wh/ops";
import type { ReplayWebhookJobOptions } from "@wh/queue";
import type { EventSelection, FilterSelection, ReplayArgs } from "./replay-args";
import { lineProgress } from "../progress/line-progress";
import type { Progress } from "../progress/progress";
import { formatEventLine, formatSummary } from "./replay-summary";

export interface ReplayRunDependencies {
  prisma: PrismaClient;
  queue: ReplayWebhookJobOptions;
  /** One line for stdout (the per-delivery listing), without the newline. */
  writeOut: (line: string) => void;
  /** One line for stderr (progress, summary, problems), without the newline. */
  writeErr: (line: string) => void;
  /** Rows read from Postgres at a time. */
  pageSize?: number;
  /** How far a filter's run is (a bar on a terminal); by default a line on stderr every 200 deliveries. */
  progress?: Progress;
  /** Aborted (Ctrl-C): the run stops after the current delivery and still prints its summary. */
  signal?: AbortSignal;
  /** The run's start; a filter without --until selects only rows received before it. */
  now?: () => Date;
}

export interface ReplayRunResult {
  tally: ReplayTally;
  interrupted: boolean;
}

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_PROGRESS_EVERY = 200;

/** Selects ledger rows, replays (or, in a dry run, plans) each one, and reports as it goes. */
export async function runReplay(deps: ReplayRunDependencies, args: ReplayArgs): Promise<ReplayRunResult> {
  const tally = emptyTally();
  const mode = args.execute ? "replaying" : "dry run, nothing will be changed";
  let interrupted = false;

  const handle = async (row: LedgerEvent): Promise<void> => {
    const result = await replayOrReport(deps.queue, row, args.execute);
    countResult(tally, result);
    deps.writeOut(formatEventLine(row, result, args.execute));
  };

  if (args.selection.kind === "event") {
    deps.writeErr(`[replay] ${mode}: ${describeEvent(args.selection)}`);
    const rows = await findLedgerEvents(deps.prisma, args.selection);
    if (rows.length === 0) {
      tally.errors += 1;
      deps.writeErr(`[replay] error: no ledger row for ${describeEvent(args.selection)}`);
    } else if (rows.length > 1) {
      tally.errors += 1;
      const providers = rows.map((row) => row.provider).join(" and ");
      deps.writeErr(`[replay] error: event ${args.selection.eventId} exists for ${providers}; pass --provider`);
    } else {
      await handle(rows[0]!);
    }
  } else {
    const startedAt = deps.now?.() ?? new Date();
    const selection: FilterSelection = { ...args.selection, until: args.selection.until ?? startedAt };
    const total = await countLedgerEvents(deps.prisma, selection);
    deps.writeErr(`[replay] ${mode}: ${describeFilter(selection)}: ${total.toLocaleString("en-US")} selected`);
    const progress = deps.progress ?? lineProgress(deps.writeErr, "replay", DEFAULT_PROGRESS_EVERY);
    progress.start(total);
    try {
      for await (const row of pageLedgerEvents(deps.prisma, selection, deps.pageSize ?? DEFAULT_PAGE_SIZE)) {
        if (deps.signal?.aborted) {
          interrupted = true;
          break;
        }
        await handle(row);
        progress.update(tally.selected);
      }
    } finally {
      progress.stop();
    }
  }

  if (interrupted) deps.writeErr("[replay] interrupted: the deliveries after the last one listed were not looked at");
  deps.writeErr(formatSummary(tally, args.execute));
  if (!args.execute) deps.writeErr("[replay] dry run: nothing was changed; add --execute to replay");
  return { tally, interrupted };
}

function describeEvent(selection: EventSelection): string {
  return `${selection.provider ?? "any provider's"} event ${selection.eventId}`;
}

function describeFilter(selection: FilterSelection): string {
  const parts = [`status ${selection.statuses.join(",")}`];
  if (selection.provider) parts.push(`provider ${selection.provider}`);
  if (selection.type) parts.push(`type ${selection.type}`);
  const until = selection.until?.toISOString() ?? "now";
  parts.push(selection.since ? `received in [${selection.since.toISOString()}, ${until})` : `received before ${until}`);
  if (selection.limit !== undefined) parts.push(`limit ${selection.limit}`);
  return parts.join(", ");
}
