export { WEBHOOK_QUEUE_NAMES } from "./queue-names";
export {
  WEBHOOK_PROVIDERS,
  webhookJobId,
  webhookJobSchema,
  type WebhookJob,
  type WebhookProvider,
} from "./webhook-job";
export { connectRedis, createProducerConnection, createWorkerConnection, redisMasters, type RedisConnection } from "./redis-connection";
export { isClusterRedisUrl, parseRedisUrl, type RedisTarget } from "./redis-url";
export { checkQueueEnv, queueEnvFields } from "./queue-env";
export { hashTagOf, MAX_QUEUE_SHARDS, shardEntityOf, shardFor, webhookQueueShards, type WebhookQueueShard } from "./queue-shards";
export { stripeCustomerOf } from "./stripe-customer-of";
export { exitUnlessNoEviction } from "./redis-eviction-policy";
export { readRedisMemoryInfo, type RedisMemoryInfo } from "./redis-memory-info";
export { DEFAULT_RETRY_POLICY, webhookJobOptions, type RetryPolicy } from "./job-options";
export { deleteQueueKeys } from "./delete-queue-keys";
export { allWebhookQueues, closeWebhookQueues, createWebhookQueues, webhookQueueOf, type WebhookQueues, type WebhookQueueSet } from "./webhook-queues";
export {
  QueueUnavailableError,
  WebhookProducer,
  type EnqueueOutcome,
  type WebhookProducerOptions,
} from "./webhook-producer";
export {
  checkJobSignature,
  jobSigningEnvFields,
  signWebhookJob,
  type JobSigningKeys,
  type SignatureFailure,
} from "./job-signature";
export { retryPolicyEnvFields, retryPolicyFromEnv } from "./retry-policy-env";
export { jobFromLedgerRow, StoredPayloadError, type LedgerRowJobFields } from "./ledger-row-job";
export { isReplayJobId, planWebhookReplay, replayJobId, replayWebhookJob, type ReplayWebhookJobOptions } from "./replay-webhook-job";
export { createMaintenanceQueue, DEFAULT_DEFERRED_SWEEP_PATTERN, DEFAULT_LEDGER_CLEANUP_PATTERN, DEFAULT_STRIPE_RECONCILE_PATTERN, DEFAULT_USAGE_RESET_PATTERN, MAINTENANCE_JOB_OPTIONS, MAINTENANCE_JOBS, MAINTENANCE_QUEUE_NAME, scheduledTimeOf, upsertMaintenanceSchedulers } from "./maintenance-queue";
