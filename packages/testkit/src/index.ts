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
export { testServers, uniqueQueuePrefix } from "./test-env";
export {
  APP_LOG_DIR_VARIABLE,
  freePort,
  PostgresServerProcess,
  RedisServerProcess,
  waitFor,
  type AppName,
  type PostgresServerOptions,
  type RedisServerOptions,
} from "@wh/local-stack";
export { AppProcess } from "./test-app-process";
export { checkAppLogsForPersonalData, createAppLogDir, findPersonalDataInAppLogs } from "./app-logs";
export { deleteQueueKeys } from "./delete-queue-keys";
