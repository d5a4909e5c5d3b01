import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { WEBHOOK_PROVIDERS, webhookQueueShards, type JobSigningKeys, type ReplayWebhookJobOptions, type WebhookJob, type RedisConnection } from "@wh/queue";
import { Worker } from "bullmq";
import type { ApplyResult } from "./apply-webhook-event";
import { onJobCompleted } from "./on-job-completed";
import { onJobFailed } from "./on-job-failed";
import { onJobStalled } from "./on-job-stalled";
import { pauseOnDatabaseOutage } from "./pause-on-database-outage";
import { createWebhookProcessor } from "./process-webhook-job";
import type { WorkerMetrics } from "./worker-metrics";

export interface WebhookWorkerSettings {
  /** Shared by both workers (BullMQ duplicates it for its blocking reads); maxRetriesPerRequest null. */
  connection: RedisConnection;
  queuePrefix: string;
  /** WEBHOOK_QUEUE_SHARDS: each provider's queue is this many queues, each with its own Worker. */
  queueShards: number;
  /** Jobs at once per queue (per shard and provider). */
  concurrency: number;
  jobTimeoutMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  stripeLivemode: boolean;
  /** How long a queue pauses when Postgres is unreachable before trying again. */
  databaseOutagePauseMs: number;
  /** JOB_SIGNING_KEY: only jobs that verify under one of these are applied. */
  signingKeys: JobSigningKeys;
}

/** The one place that registers BullMQ workers: one per provider queue of every shard. */
export function startWebhookWorkers(
  settings: WebhookWorkerSettings,
  deps: {
    prisma: PrismaClient;
    log: Logger;
    metrics: WorkerMetrics;
    /** How deferred events are put back into the queues once what they wait for exists. */
    replay: ReplayWebhookJobOptions;
  },
): Worker<WebhookJob, ApplyResult>[] {
  const processor = createWebhookProcessor({
    ...deps,
    jobTimeoutMs: settings.jobTimeoutMs,
    stripeLivemode: settings.stripeLivemode,
    signingKeys: settings.signingKeys,
  });
  const failed = onJobFailed({ ...deps, signingKeys: settings.signingKeys });
  const completed = onJobCompleted(deps);
  const queues = webhookQueueShards(settings.queuePrefix, settings.queueShards).flatMap(({ prefix, names }) =>
    WEBHOOK_PROVIDERS.map((provider) => ({ provider, prefix, name: names[provider] })),
  );
  return queues.map(({ provider, prefix, name }) => {
    const guarded = pauseOnDatabaseOutage(processor, {
      worker: () => worker,
      pauseMs: settings.databaseOutagePauseMs,
      log: deps.log,
    });
    const worker: Worker<WebhookJob, ApplyResult> = new Worker<WebhookJob, ApplyResult>(name, guarded, {
      connection: settings.connection,
      prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
    });
    worker.on("failed", (job, error) => void failed(job, error));
    worker.on("completed", (job, result) => void completed(job, result));
    worker.on("stalled", onJobStalled(deps, worker.name));
    worker.on("error", (error) => deps.log.error({ provider, err: error.message }, "worker error"));
    return worker;
  });
}
