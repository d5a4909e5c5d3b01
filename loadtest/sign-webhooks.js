// Artillery processor: every virtual user is one customer who signs up with Clerk and pays with
// Stripe. Each request's beforeRequest hook builds a fresh event with unique ids, signs it with
// the official `stripe` / `svix` library and sets the exact body bytes and the signature headers,
// as the providers would send them. Secrets come from the environment (same defaults as
// scripts/dev.sh); every id carries LOADTEST_RUN_ID so a run's rows can be found and removed.
"use strict";

const { randomBytes } = require("node:crypto");
const Stripe = require("stripe");
const { Webhook } = require("svix");

const STRIPE_SECRET = firstSecret(process.env.STRIPE_WEBHOOK_SECRET, "whsec_local_development_only_stripe");
const CLERK_SECRET = firstSecret(
  process.env.CLERK_WEBHOOK_SECRET,
  "whsec_bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1jbGVyaw==",
);
const RUN_ID = process.env.LOADTEST_RUN_ID || "lt";
if (!/^[A-Za-z0-9]+$/.test(RUN_ID)) throw new Error("LOADTEST_RUN_ID must be letters and digits only");

const clerkWebhook = new Webhook(CLERK_SECRET);

/** The receiver accepts several secrets (rotation); signing needs one. */
function firstSecret(value, fallback) {
  const first = (value || "").split(",")[0].trim();
  return first || fallback;
}

/** `<prefix>_<run id>_<24 hex>`: unique, and a valid BullMQ job id once the receiver prefixes it. */
function uniqueId(prefix) {
  return `${prefix}_${RUN_ID}_${randomBytes(12).toString("hex")}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function setBody(requestParams, body, headers) {
  requestParams.body = body;
  requestParams.headers = { ...requestParams.headers, "content-type": "application/json", ...headers };
  delete requestParams.json;
}

function signStripe(requestParams, event) {
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: STRIPE_SECRET,
    timestamp: nowSeconds(),
  });
  setBody(requestParams, body, { "stripe-signature": signature });
}

function stripeEvent(type, object) {
  return {
    id: uniqueId("evt"),
    object: "event",
    api_version: "2025-03-31.basil",
    created: nowSeconds(),
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object },
  };
}

/** beforeScenario: the ids of this virtual user's customer. */
async function newCustomer(context) {
  context.vars.clerkUserId = uniqueId("user");
  context.vars.stripeCustomerId = uniqueId("cus");
  context.vars.stripeSubscriptionId = uniqueId("sub");
}

/** Clerk `user.created` for a fresh user; the svix-id is the delivery id (Clerk bodies carry no id). */
async function signClerkUserCreated(requestParams, context) {
  const msgId = uniqueId("msg");
  const timestampMs = Date.now();
  const body = JSON.stringify({
    object: "event",
    type: "user.created",
    timestamp: timestampMs,
    instance_id: "ins_loadtest",
    data: {
      id: context.vars.clerkUserId,
      object: "user",
      email_addresses: [{ id: "idn_primary", email_address: `${context.vars.clerkUserId}@loadtest.invalid` }],
      primary_email_address_id: "idn_primary",
      first_name: "Load",
      last_name: "Test",
      created_at: timestampMs,
      updated_at: timestampMs,
    },
  });
  const timestamp = new Date(timestampMs);
  setBody(requestParams, body, {
    "svix-id": msgId,
    "svix-timestamp": String(Math.floor(timestampMs / 1000)),
    "svix-signature": clerkWebhook.sign(msgId, timestamp, body),
  });
}

/** Stripe `checkout.session.completed`: links the customer to the Clerk user. */
async function signCheckoutSessionCompleted(requestParams, context) {
  signStripe(
    requestParams,
    stripeEvent("checkout.session.completed", {
      id: uniqueId("cs_test"),
      object: "checkout.session",
      client_reference_id: context.vars.clerkUserId,
      customer: context.vars.stripeCustomerId,
      subscription: context.vars.stripeSubscriptionId,
      mode: "subscription",
      status: "complete",
      payment_status: "paid",
      metadata: {},
    }),
  );
}

/** Stripe `customer.subscription.created`, basil shape (billing period on the items). */
async function signSubscriptionCreated(requestParams, context) {
  const start = nowSeconds();
  signStripe(
    requestParams,
    stripeEvent("customer.subscription.created", {
      id: context.vars.stripeSubscriptionId,
      object: "subscription",
      customer: context.vars.stripeCustomerId,
      status: "active",
      cancel_at_period_end: false,
      metadata: { clerk_user_id: context.vars.clerkUserId },
      items: {
        object: "list",
        data: [
          {
            id: uniqueId("si"),
            object: "subscription_item",
            price: { id: uniqueId("price"), object: "price", lookup_key: "pro" },
            current_period_start: start,
            current_period_end: start + 30 * 86_400,
          },
        ],
      },
    }),
  );
}

module.exports = { newCustomer, signClerkUserCreated, signCheckoutSessionCompleted, signSubscriptionCreated };
