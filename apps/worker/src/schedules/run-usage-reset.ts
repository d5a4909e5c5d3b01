import { closeEndedPeriods } from "@wh/billing";
import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { scheduledTimeOf } from "@wh/queue";

export interface UsageResetSummary {
  scheduledFor: string;
  /** Every period that ended at or before this instant is closed now. */
  through: string;
  closed: string[];
  alreadyClosed: string[];
}

/**
 * How far ahead of this worker's clock a scheduled time is still believed. Workers' clocks differ
 * by milliseconds to seconds (another worker may have promoted the job); a job that starts long
 * before its time was promoted by hand (Bull Board) and must not close a period that has not ended.
 */
export const MAX_EARLY_START_MS = 5 * 60 * 1000;

/**
 * One run of the monthly usage reset. The periods it must close follow from the time the job was
 * scheduled for, not from the clock: a run scheduled for December 1st closes November even on a
 * worker whose clock still says November 30th. A run that starts late also closes whatever else
 * has ended by now, so one late occurrence after downtime catches up on every missed month.
 * Closing is idempotent per period, so retries, concurrent runs and late runs apply nothing twice.
 */
export async function runUsageReset(
  job: { id?: string; name: string; timestamp: number },
  deps: { prisma: PrismaClient; log: Logger; clock: () => Date; timeoutMs: number },
): Promise<UsageResetSummary> {
  const scheduledFor = scheduledTimeOf(job);
  const now = deps.clock();
  const early = scheduledFor.getTime() - now.getTime() > MAX_EARLY_START_MS;
  if (early) {
    deps.log.warn(
      { jobId: job.id, scheduledFor: scheduledFor.toISOString(), now: now.toISOString() },
      "usage reset started long before its scheduled time; closing only periods that have ended by now",
    );
  }
  const through = early ? now : new Date(Math.max(scheduledFor.getTime(), now.getTime()));
  const results = await closeEndedPeriods(deps.prisma, through, {
    closedBy: job.id ?? job.name,
    timeoutMs: deps.timeoutMs,
  });
  for (const result of results) {
    if (result.outcome !== "closed") continue;
    deps.log.info(
      { jobId: job.id, periodStart: result.periodStart, totals: result.totals, opened: result.opened },
      "usage period closed",
    );
  }
  const summary: UsageResetSummary = {
    scheduledFor: scheduledFor.toISOString(),
    through: through.toISOString(),
    closed: results.filter((result) => result.outcome === "closed").map((result) => result.periodStart),
    alreadyClosed: results.filter((result) => result.outcome === "already_closed").map((result) => result.periodStart),
  };
  deps.log.info({ jobId: job.id, ...summary }, "usage reset done");
  return summary;
}
