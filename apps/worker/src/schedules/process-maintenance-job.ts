import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { MAINTENANCE_JOBS, type ReplayWebhookJobOptions } from "@wh/queue";
import { UnrecoverableError, type Job } from "bullmq";
import type { WorkerMetrics } from "../worker-metrics";
import { runDeferredSweep, type DeferredSweepSummary } from "./run-deferred-sweep";
import { runLedgerCleanup, type LedgerCleanupSettings, type LedgerCleanupSummary } from "./run-ledger-cleanup";
import { runStripeReconcile, type StripeReconcileRunSummary, type StripeReconcileSettings } from "./run-stripe-reconcile";
import { runUsageReset, type UsageResetSummary } from "./run-usage-reset";

export interface MaintenanceDependencies {
  prisma: PrismaClient;
  log: Logger;
  /** Injected by tests; the system clock otherwise. */
  clock: () => Date;
  usageResetTimeoutMs: number;
  cleanup: LedgerCleanupSettings;
  metrics: WorkerMetrics;
  replay: ReplayWebhookJobOptions;
  /** Deferred events still waiting this long after receipt become `dead`. */
  deferredHorizonHours: number;
  /** Set when STRIPE_API_KEY is. */
  stripeReconcile?: StripeReconcileSettings;
}

type MaintenanceJob = Pick<Job, "id" | "name" | "timestamp">;

/** The processor of the maintenance queue: one branch per job name. Throws to retry. */
export function createMaintenanceProcessor(deps: MaintenanceDependencies) {
  return async (job: MaintenanceJob): Promise<UsageResetSummary | LedgerCleanupSummary | DeferredSweepSummary | StripeReconcileRunSummary> => {
    switch (job.name) {
      case MAINTENANCE_JOBS.usageMonthlyReset:
        return runUsageReset(job, { ...deps, timeoutMs: deps.usageResetTimeoutMs });
      case MAINTENANCE_JOBS.ledgerCleanup:
        return runLedgerCleanup(deps, deps.cleanup);
      case MAINTENANCE_JOBS.deferredEventsSweep:
        return runDeferredSweep(deps, { horizonHours: deps.deferredHorizonHours });
      case MAINTENANCE_JOBS.stripeReconcile:
        return runStripeReconcile(job, deps);
      default:
        throw new UnrecoverableError(`unknown maintenance job ${job.name}`);
    }
  };
}
