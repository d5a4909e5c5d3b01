export { WEBHOOK_QUEUE_NAMES } from "./queue-names";
export {
  WEBHOOK_PROVIDERS,
  webhookJobId,
  webhookJobSchema,
  type WebhookJob,
  type WebhookProvider,
} from "./webhook-job";
export { createProducerConnection, createWorkerConnection } from "./redis-connection";
export { DEFAULT_RETRY_POLICY, webhookJobOptions, type RetryPolicy } from "./job-options";
export { closeWebhookQueues, createWebhookQueues, type WebhookQueues } from "./webhook-queues";
export {
  QueueUnavailableError,
  WebhookProducer,
  type EnqueueOutcome,
  type WebhookProducerOptions,
} from "./webhook-producer";
export { retryPolicyEnvFields, retryPolicyFromEnv } from "./retry-policy-env";
export { MAX_REPLAYS_PER_EVENT, planWebhookReplay, replayJobId, replayWebhookJob, type ReplayOutcome, type ReplayPlan, type ReplayResult, type ReplayWebhookJobOptions } from "./replay-webhook-job";
export { createMaintenanceQueue, DEFAULT_LEDGER_CLEANUP_PATTERN, DEFAULT_USAGE_RESET_PATTERN, MAINTENANCE_JOB_OPTIONS, MAINTENANCE_JOBS, MAINTENANCE_QUEUE_NAME, scheduledTimeOf, upsertMaintenanceSchedulers, type MaintenanceJobName, type MaintenanceSchedule } from "./maintenance-queue";
