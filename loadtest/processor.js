// Artillery processor of every scenario in loadtest/scenarios/. One virtual user is one customer:
// Clerk user.created, Stripe checkout.session.completed, customer.subscription.created and
// invoice.paid, built by the workspace's payload builders and signed by the official `stripe` and
// `svix` libraries (packages/provider-events, built by the bootstrap) with fresh ids and
// timestamps, under the secrets the receiver was given (STRIPE_WEBHOOK_SECRET, CLERK_WEBHOOK_SECRET).
// Every delivery the receiver acknowledges (2xx) is appended to the run folder's accepted-*.jsonl,
// which the database check compares with the ledger. scripts/load.sh sets the environment:
// LOAD_RUN_DIR, LOAD_RUN_ID, LOAD_DASHBOARD_URL, LOAD_INTERNAL_API_TOKEN, LOAD_LOOP_SECONDS and the
// two webhook secrets.
"use strict";

const { appendFileSync } = require("node:fs");
const path = require("node:path");
const { threadId } = require("node:worker_threads");
const {
  checkoutSession,
  clerkUserEvent,
  FIXTURE_EMAIL_DOMAIN,
  invoiceObject,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  uniqueId,
} = require("../packages/provider-events/dist");

const RUN_DIR = required("LOAD_RUN_DIR");
const RUN_ID = required("LOAD_RUN_ID");
const STRIPE_SECRET = required("STRIPE_WEBHOOK_SECRET").split(",")[0];
const CLERK_SECRET = required("CLERK_WEBHOOK_SECRET").split(",")[0];
const ACCEPTED_FILE = path.join(RUN_DIR, `accepted-${process.pid}-${threadId}.jsonl`);
/** How long a journey waits for its plan before it counts as not visible. */
const PLAN_WAIT_MS = 120_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the load tests through scripts/load.sh`);
  return value;
}

/** Ids carry the run id, so a kept run's rows can be told apart. */
const runId = (prefix) => uniqueId(`${prefix}_${RUN_ID}`);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The four deliveries of one sign-up, unsigned: bodies are fixed, signatures are made per send. */
function signUpDeliveries(vars) {
  const user = { id: vars.clerkUserId, email: `${vars.clerkUserId}@${FIXTURE_EMAIL_DOMAIN}` };
  const start = nowSeconds();
  const subscription = subscriptionObject({
    id: vars.subscriptionId,
    customerId: vars.customerId,
    status: "active",
    plan: "pro",
    clerkUserId: vars.clerkUserId,
    periodStart: start,
  });
  return [
    { provider: "clerk", msgId: runId("msg"), event: clerkUserEvent("user.created", user) },
    {
      provider: "stripe",
      event: stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: vars.clerkUserId, customerId: vars.customerId }), {
        id: runId("evt"),
      }),
    },
    { provider: "stripe", event: stripeEvent("customer.subscription.created", subscription, { id: runId("evt") }) },
    {
      provider: "stripe",
      event: stripeEvent("invoice.paid", invoiceObject({ subscriptionId: vars.subscriptionId }), { id: runId("evt") }),
    },
  ];
}

/** Signs a delivery now (a retry is re-signed with a new timestamp, as the providers do). */
function signed(delivery) {
  return delivery.provider === "stripe"
    ? { path: "/webhooks/stripe", ...signStripe(delivery.event, STRIPE_SECRET) }
    : { path: "/webhooks/clerk", ...signClerk(delivery.event, CLERK_SECRET, { msgId: delivery.msgId }) };
}

function setRequest(requestParams, delivery) {
  const { path: urlPath, body, headers } = signed(delivery);
  requestParams.url = urlPath;
  requestParams.body = body;
  requestParams.headers = { ...requestParams.headers, ...headers };
  delete requestParams.json;
}

// ---------------------------------------------------------------- scenario hooks ----

/** Function step: a fresh customer for this virtual user; its journey clock starts now. */
function startJourney(context, events, done) {
  context.vars.clerkUserId = runId("user");
  context.vars.customerId = runId("cus");
  context.vars.subscriptionId = runId("sub");
  context.vars.deliveries = signUpDeliveries(context.vars);
  context.vars.journeyStartedAt = Date.now();
  context.vars.planVisible = false;
  context.vars.loopUntil = Date.now() + Number(process.env.LOAD_LOOP_SECONDS || 60) * 1000;
  context.vars.dashboardUrl = required("LOAD_DASHBOARD_URL");
  context.vars.internalApiToken = required("LOAD_INTERNAL_API_TOKEN");
  done();
}

/**
 * beforeRequest: the journey's delivery number `$loopCount` (0-3), signed now. In duplicate-storm
 * ten parallel requests of one loop turn send copies of the same event, each signed on its own.
 */
function signJourneyDelivery(requestParams, context, events, done) {
  setRequest(requestParams, context.vars.deliveries[context.vars.$loopCount]);
  done();
}

/** beforeRequest: a fresh customer.subscription.updated of this user's subscription (connection-stress). */
function signSubscriptionUpdated(requestParams, context, events, done) {
  const subscription = subscriptionObject({
    id: context.vars.subscriptionId,
    customerId: context.vars.customerId,
    status: "active",
    plan: "pro",
    clerkUserId: context.vars.clerkUserId,
  });
  setRequest(requestParams, { provider: "stripe", event: stripeEvent("customer.subscription.updated", subscription, { id: runId("evt") }) });
  done();
}

/** beforeRequest (receiver-burst): one checkout of a new user, a self-contained event. */
function signCheckoutOfNewUser(requestParams, context, events, done) {
  const session = checkoutSession({ clerkUserId: runId("user"), customerId: runId("cus") });
  setRequest(requestParams, { provider: "stripe", event: stripeEvent("checkout.session.completed", session, { id: runId("evt") }) });
  done();
}

/** What the database check needs to know about an acknowledged delivery. */
function acceptedRecord(requestParams) {
  const headers = requestParams.headers;
  const body = JSON.parse(requestParams.body);
  if (headers["svix-id"]) return { provider: "clerk", eventId: headers["svix-id"], type: body.type, user: body.data.id };
  const object = body.data.object;
  switch (body.type) {
    case "checkout.session.completed":
      return { provider: "stripe", eventId: body.id, type: body.type, user: object.client_reference_id, customer: object.customer };
    case "customer.subscription.created":
    case "customer.subscription.updated":
      return {
        provider: "stripe",
        eventId: body.id,
        type: body.type,
        user: object.metadata.clerk_user_id,
        customer: object.customer,
        subscription: object.id,
      };
    default:
      return { provider: "stripe", eventId: body.id, type: body.type };
  }
}

/** afterResponse of every webhook: a 2xx is recorded for the database check, anything else counted. */
function recordDelivery(requestParams, response, context, events, done) {
  if (response.statusCode >= 200 && response.statusCode < 300) {
    appendFileSync(ACCEPTED_FILE, `${JSON.stringify(acceptedRecord(requestParams))}\n`);
  } else {
    events.emit("counter", "webhooks.not_accepted", 1);
  }
  done();
}

/** Counts a dashboard 5xx by route (`dashboard.5xx.usage`, `dashboard.5xx.entitlements`), for the report. */
function countDashboardServerError(requestParams, response, events) {
  if (response.statusCode < 500) return;
  const route = /\/v1\/([a-z]+)/.exec(requestParams.url)?.[1] ?? "other";
  events.emit("counter", `dashboard.5xx.${route}`, 1);
}

/** afterResponse of the /v1 requests of connection-stress. */
function noteDashboardAnswer(requestParams, response, context, events, done) {
  countDashboardServerError(requestParams, response, events);
  done();
}

/** afterResponse of GET /v1/entitlements: the first answer with the plan ends the journey's clock. */
function notePlan(requestParams, response, context, events, done) {
  countDashboardServerError(requestParams, response, events);
  if (!context.vars.planVisible && response.statusCode === 200 && JSON.parse(response.body).plan === "pro") {
    context.vars.planVisible = true;
    events.emit("histogram", "journey.plan_visible_ms", Date.now() - context.vars.journeyStartedAt);
  }
  done();
}

/** whileTrue of the entitlements poll: until the plan shows, or the wait is over (counted). */
function planNotVisibleYet(context, next) {
  if (context.vars.planVisible) return next(false);
  if (Date.now() - context.vars.journeyStartedAt < PLAN_WAIT_MS) return next(true);
  return next(false);
}

/** Function step after the poll: a journey whose plan never showed is counted. */
function countPlanNotVisible(context, events, done) {
  if (!context.vars.planVisible) events.emit("counter", "journey.plan_not_visible", 1);
  done();
}

/** whileTrue of connection-stress: loop until LOAD_LOOP_SECONDS after the user started. */
function withinLoopTime(context, next) {
  next(Date.now() < context.vars.loopUntil);
}

module.exports = {
  countPlanNotVisible,
  noteDashboardAnswer,
  notePlan,
  planNotVisibleYet,
  recordDelivery,
  signCheckoutOfNewUser,
  signJourneyDelivery,
  signSubscriptionUpdated,
  startJourney,
  withinLoopTime,
};
