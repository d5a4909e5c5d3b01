export {
  TEST_CLERK_SECRET,
  TEST_CLERK_SECRET_NEXT,
  TEST_JOB_SIGNING_KEY,
  TEST_JOB_SIGNING_KEY_NEXT,
  TEST_STRIPE_SECRET,
  TEST_STRIPE_SECRET_NEXT,
} from "./test-secrets";
// Provider payloads and signatures live in @wh/provider-events (ops-cli trigger sends them too).
export {
  checkoutSession,
  clerkUserDeletedEvent,
  clerkUserEvent,
  FIXTURE_EMAIL_DOMAIN,
  FIXTURE_NAMES,
  invoiceObject,
  stripeEvent,
  subscriptionObject,
  signClerk,
  signStripe,
  uniqueId,
  type SubscriptionOptions,
} from "@wh/provider-events";
export { testServers, uniqueQueuePrefix } from "./test-env";
export {
  APP_LOG_DIR_VARIABLE,
  freePort,
  PostgresServerProcess,
  RedisClusterProcess,
  RedisServerProcess,
  waitFor,
  type AppName,
  type PostgresServerOptions,
  type RedisClusterOptions,
  type RedisServerOptions,
} from "@wh/local-stack";
export { AppProcess } from "./test-app-process";
export { checkAppLogsForPersonalData, createAppLogDir, findPersonalDataInAppLogs } from "./app-logs";
export { startFakeApiServer, type FakeApiHandler, type FakeApiServer } from "./fake-api-server";
export { startFakeStripeApi, type FakeStripeApi } from "./fake-stripe-api";
export { clerkApiUser, startFakeClerkApi, type FakeClerkApi } from "./fake-clerk-api";
