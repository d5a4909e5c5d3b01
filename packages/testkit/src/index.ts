export { signStripe } from "./sign-stripe";
export { signClerk } from "./sign-clerk";
export {
  TEST_CLERK_SECRET,
  TEST_CLERK_SECRET_NEXT,
  TEST_JOB_SIGNING_KEY,
  TEST_JOB_SIGNING_KEY_NEXT,
  TEST_STRIPE_SECRET,
  TEST_STRIPE_SECRET_NEXT,
} from "./test-secrets";
export {
  checkoutSession,
  clerkUserDeletedEvent,
  clerkUserEvent,
  FIXTURE_EMAIL_DOMAIN,
  FIXTURE_NAMES,
  invoiceObject,
  stripeEvent,
  subscriptionObject,
  uniqueId,
  type SubscriptionOptions,
} from "./fixtures";
export { waitFor } from "./wait-for";
export { testServers, uniqueQueuePrefix } from "./test-env";
export { freePort } from "./free-port";
export { RedisServerProcess, type RedisServerOptions } from "./redis-server-process";
export { RedisClusterProcess, type RedisClusterOptions } from "./redis-cluster-process";
export { APP_LOG_DIR_VARIABLE, AppProcess, type AppName } from "./app-process";
export { checkAppLogsForPersonalData, createAppLogDir, findPersonalDataInAppLogs } from "./app-logs";
export { PostgresServerProcess, type PostgresServerOptions } from "./postgres-server-process";
