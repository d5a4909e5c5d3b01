import type { Server } from "node:http";
import { createLogger } from "@wh/core";
import { listen } from "@wh/http";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  DEFAULT_RETRY_POLICY,
  webhookJobOptions,
  WebhookProducer,
  type WebhookJob,
  type WebhookProvider,
  type WebhookQueues,
} from "@wh/queue";
import {
  clerkUserEvent,
  RedisServerProcess,
  signClerk,
  signStripe,
  stripeEvent,
  subscriptionObject,
  TEST_CLERK_SECRET,
  TEST_CLERK_SECRET_NEXT,
  TEST_JOB_SIGNING_KEY,
  TEST_STRIPE_SECRET,
  TEST_STRIPE_SECRET_NEXT,
  testServers,
  uniqueId,
  uniqueQueuePrefix,
  waitFor,
} from "@wh/testkit";
import { minimizeClerkPayload, minimizeStripePayload } from "@wh/webhooks";
import request from "supertest";
import { createReceiverApp } from "./app";
import { createReceiverMetrics } from "./receiver-metrics";
import { receiverOpsListener } from "./receiver-ops";

/** The producer's bound on one enqueue; a request to a dead Redis must answer well within a few of these. */
const ENQUEUE_TIMEOUT_MS = 1_000;
const OTHER_STRIPE_SECRET = "whsec_someone_elses_stripe_secret";
const OTHER_CLERK_SECRET = `whsec_${Buffer.from("someone-elses-clerk-secret-000000").toString("base64")}`;
const ALL_STATES = ["wait", "active", "delayed", "prioritized", "waiting-children", "paused", "completed", "failed"] as const;

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Receiver {
  server: Server;
  /** The ops listener: /readyz and /metrics. */
  ops: Server;
  queues: WebhookQueues;
  connection: ReturnType<typeof createProducerConnection>;
  close: () => Promise<void>;
}

/** The receiver as main.ts wires it: a real producer on a fail-fast connection, real metrics. */
async function startReceiver(redisUrl: string, log = createLogger({ name: "receiver-test", level: "silent" })): Promise<Receiver> {
  const connection = createProducerConnection(redisUrl);
  connection.on("error", () => undefined);
  const queues = createWebhookQueues(connection, uniqueQueuePrefix());
  for (const queue of allWebhookQueues(queues)) queue.on("error", () => undefined);
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.waitUntilReady()));
  const producer = new WebhookProducer({
    queues,
    jobOptions: webhookJobOptions(DEFAULT_RETRY_POLICY),
    timeoutMs: ENQUEUE_TIMEOUT_MS,
    signingKeys: [TEST_JOB_SIGNING_KEY],
  });
  const metrics = createReceiverMetrics();
  const app = createReceiverApp({
    producer,
    metrics,
    log,
    stripeSecrets: [TEST_STRIPE_SECRET, TEST_STRIPE_SECRET_NEXT],
    clerkSecrets: [TEST_CLERK_SECRET, TEST_CLERK_SECRET_NEXT],
    trustProxy: false,
  });
  const server = await listen(app, 0, "127.0.0.1");
  const ops = await listen(receiverOpsListener({ redis: connection, metrics }), 0, "127.0.0.1");
  return {
    server,
    ops,
    queues,
    connection,
    close: async () => {
      await Promise.all([server, ops].map((listener) => new Promise((resolve) => listener.close(resolve))));
      if (connection.status === "ready") {
        await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
      }
      await closeWebhookQueues(queues);
      connection.disconnect();
    },
  };
}

async function jobCount(queues: WebhookQueues, provider: WebhookProvider): Promise<number> {
  const counts = await queues[provider].getJobCounts(...ALL_STATES);
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

async function expectNothingEnqueued(queues: WebhookQueues): Promise<void> {
  expect(await jobCount(queues, "stripe")).toBe(0);
  expect(await jobCount(queues, "clerk")).toBe(0);
}

async function onlyJob(queues: WebhookQueues, provider: WebhookProvider, jobId: string): Promise<WebhookJob> {
  expect(await jobCount(queues, provider)).toBe(1);
  const job = await queues[provider].getJob(jobId);
  expect(job).toBeDefined();
  return job!.data;
}

function subscriptionEvent(options: { id?: string; created?: number } = {}) {
  const sub = subscriptionObject({ id: uniqueId("sub"), customerId: uniqueId("cus"), status: "active", plan: "pro" });
  return stripeEvent("customer.subscription.updated", sub, { created: options.created ?? 1_767_225_600, ...options });
}

function userEvent(timestampMs = 1_767_225_600_123) {
  return clerkUserEvent("user.updated", { id: uniqueId("user"), email: "ada@example.test" }, timestampMs);
}

function tamper(body: string): string {
  const index = body.indexOf("\"type\"") + 2;
  return `${body.slice(0, index)}T${body.slice(index + 1)}`;
}

/** A refusal: short JSON `{ error }`, and none of the request's body or signature in it. */
function expectRefusal(res: request.Response, status: number, sent: { body: string; signature?: string }): void {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  expect(Object.keys(res.body as object)).toEqual(["error"]);
  const { error } = res.body as { error: unknown };
  expect(typeof error).toBe("string");
  expect((error as string).length).toBeLessThan(80);
  if (sent.signature) expect(res.text).not.toContain(sent.signature);
  for (const id of sent.body.match(/(?:evt|sub|cus|user|msg)_[A-Za-z0-9]{8,}/g) ?? []) {
    expect(res.text).not.toContain(id);
  }
}

describe("receiver app with Redis up", () => {
  let receiver: Receiver;
  const post = (path: string, headers: Record<string, string>, body: string | Buffer) =>
    request(receiver.server).post(path).set(headers).send(body);

  beforeEach(async () => {
    receiver = await startReceiver(testServers().redisUrl);
  });

  afterEach(async () => {
    await receiver.close();
  });

  describe("POST /webhooks/stripe", () => {
    it("acknowledges a valid delivery once Redis holds exactly one job for it", async () => {
      const event = subscriptionEvent({ created: 1_767_225_601 });
      const signed = signStripe(event, TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe", signed.headers, signed.body);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      const job = await onlyJob(receiver.queues, "stripe", `stripe_${event.id as string}`);
      expect(job).toMatchObject({
        provider: "stripe",
        eventId: event.id,
        type: "customer.subscription.updated",
        objectId: (event.data as { object: { id: string } }).object.id,
        eventCreatedAt: 1_767_225_601_000,
        receivedAt: expect.any(Number),
      });
      expect(job.payload).toEqual(minimizeStripePayload(event));
      expect(job.payload).toMatchObject({ id: event.id, type: event.type, created: 1_767_225_601 });
      expect(await jobCount(receiver.queues, "clerk")).toBe(0);
    });

    it("accepts a delivery signed with the rotated (second) secret", async () => {
      const event = subscriptionEvent();
      const signed = signStripe(event, TEST_STRIPE_SECRET_NEXT);

      const res = await post("/webhooks/stripe", signed.headers, signed.body);

      expect(res.status).toBe(200);
      await onlyJob(receiver.queues, "stripe", `stripe_${event.id as string}`);
    });

    const refusals: [string, () => { headers: Record<string, string>; body: string }][] = [
      ["an invalid signature", () => {
        const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
        return { ...signed, headers: { ...signed.headers, "stripe-signature": `t=${nowSeconds()},v1=${"0".repeat(64)}` } };
      }],
      ["a body tampered after signing", () => {
        const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
        return { ...signed, body: tamper(signed.body) };
      }],
      ["a wrong secret", () => signStripe(subscriptionEvent(), OTHER_STRIPE_SECRET)],
      ["a signature 10 minutes old", () => signStripe(subscriptionEvent(), TEST_STRIPE_SECRET, { timestampSeconds: nowSeconds() - 600 })],
      ["a signature 10 minutes in the future", () => signStripe(subscriptionEvent(), TEST_STRIPE_SECRET, { timestampSeconds: nowSeconds() + 600 })],
      ["no Stripe-Signature header", () => {
        const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
        return { body: signed.body, headers: { "content-type": "application/json" } };
      }],
      ["a correctly signed body that is not JSON", () => signStripe("this is not json", TEST_STRIPE_SECRET)],
      ["a correctly signed JSON array", () => signStripe([subscriptionEvent()], TEST_STRIPE_SECRET)],
    ];

    it.each(refusals)("refuses %s with 400 and enqueues nothing", async (_name, build) => {
      const { headers, body } = build();

      const res = await post("/webhooks/stripe", headers, body);

      expectRefusal(res, 400, { body, signature: headers["stripe-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    // Node joins repeated Stripe-Signature headers with ", "; stripe-node keeps the last `t=` and does
    // not trim, so " t=…" after the join is no timestamp to it.
    const twoHeaders: [string, (captured: string, now: number) => [string, string]][] = [
      ["a fresh t= sent before the captured header", (captured, now) => [`t=${now}`, captured]],
      ["the captured header then a fresh t=", (captured, now) => [captured, `t=${now}`]],
      ["a fresh t= before a second header that repeats it before the captured one", (captured, now) => [`t=${now}`, `t=${now},${captured}`]],
    ];

    it.each(twoHeaders)("refuses a delivery captured 10 minutes ago and replayed with two Stripe-Signature headers: %s", async (_name, headers) => {
      const now = nowSeconds();
      const captured = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET, { timestampSeconds: now - 600 });

      const res = await request(receiver.server)
        .post("/webhooks/stripe")
        .set("content-type", "application/json")
        // superagent sends an array as repeated header lines; its types allow arrays only for Cookie.
        .set("stripe-signature", headers(captured.headers["stripe-signature"]!, now) as unknown as string)
        .send(captured.body);

      expectRefusal(res, 400, { body: captured.body, signature: captured.headers["stripe-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    const handWrittenBodies: [string, (id: string) => string][] = [
      ["pretty-printed", (id) => `${JSON.stringify(subscriptionEvent({ id }), null, 2)}\n`],
      ["with \\u escapes and keys in another order", (id) =>
        `{"data":{"object":{"id":"sub_\\u0041bc","object":"subscription","name":"Caf\\u00e9 \\u2028"}},` +
        `"type":"customer.subscription.updated","livemode":false,"created":1767225600,"id":"${id}","object":"event"}`],
    ];

    it.each(handWrittenBodies)("acknowledges a body %s, verified on its exact bytes", async (_name, build) => {
      const id = uniqueId("evt");
      const body = build(id);
      expect(body).not.toBe(JSON.stringify(JSON.parse(body)));
      const signed = signStripe(body, TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe", signed.headers, signed.body);

      expect(res.status).toBe(200);
      const job = await onlyJob(receiver.queues, "stripe", `stripe_${id}`);
      expect(job.payload).toEqual(minimizeStripePayload(JSON.parse(body) as Record<string, unknown>));
    });

    it("refuses a non-JSON content type with 415 and enqueues nothing", async () => {
      const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe", { ...signed.headers, "content-type": "text/plain" }, signed.body);

      expectRefusal(res, 415, { body: signed.body, signature: signed.headers["stripe-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    it("refuses a 2 MB body with 413 and enqueues nothing", async () => {
      const event = { ...subscriptionEvent(), padding: "x".repeat(2 * 1024 * 1024) };
      const signed = signStripe(event, TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe", signed.headers, signed.body);

      expectRefusal(res, 413, { body: signed.body.slice(0, 500), signature: signed.headers["stripe-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    it("keeps one job when the same delivery arrives 20 times concurrently", async () => {
      const event = subscriptionEvent();
      const signed = signStripe(event, TEST_STRIPE_SECRET);

      const responses = await Promise.all(Array.from({ length: 20 }, () => post("/webhooks/stripe", signed.headers, signed.body)));

      expect(responses.map((res) => res.status)).toEqual(Array(20).fill(200));
      await onlyJob(receiver.queues, "stripe", `stripe_${event.id as string}`);
    });

    it("answers 405 to GET", async () => {
      const res = await request(receiver.server).get("/webhooks/stripe");

      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("POST");
      expect(res.body).toEqual({ error: expect.any(String) });
    });
  });

  describe("POST /webhooks/clerk", () => {
    it("acknowledges a valid delivery once Redis holds exactly one job, timed by the body's timestamp", async () => {
      const event = userEvent(1_767_225_600_123);
      const msgId = uniqueId("msg");
      const signed = signClerk(event, TEST_CLERK_SECRET, { msgId });

      const res = await post("/webhooks/clerk", signed.headers, signed.body);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      const job = await onlyJob(receiver.queues, "clerk", `clerk_${msgId}`);
      expect(job).toMatchObject({
        provider: "clerk",
        eventId: msgId,
        type: "user.updated",
        objectId: (event.data as { id: string }).id,
        eventCreatedAt: 1_767_225_600_123,
        receivedAt: expect.any(Number),
      });
      expect(job.eventCreatedAt).not.toBe(Number(signed.headers["svix-timestamp"]) * 1000);
      expect(job.payload).toEqual(minimizeClerkPayload(event));
      expect(await jobCount(receiver.queues, "stripe")).toBe(0);
    });

    it("accepts a delivery signed with the rotated (second) secret", async () => {
      const msgId = uniqueId("msg");
      const signed = signClerk(userEvent(), TEST_CLERK_SECRET_NEXT, { msgId });

      const res = await post("/webhooks/clerk", signed.headers, signed.body);

      expect(res.status).toBe(200);
      await onlyJob(receiver.queues, "clerk", `clerk_${msgId}`);
    });

    const signedClerk = (secret = TEST_CLERK_SECRET, timestampSeconds?: number) =>
      signClerk(userEvent(), secret, { msgId: uniqueId("msg"), timestampSeconds });

    const refusals: [string, () => { headers: Record<string, string>; body: string }][] = [
      ["an invalid signature", () => {
        const signed = signedClerk();
        return { ...signed, headers: { ...signed.headers, "svix-signature": `v1,${Buffer.alloc(32).toString("base64")}` } };
      }],
      ["a body tampered after signing", () => {
        const signed = signedClerk();
        return { ...signed, body: tamper(signed.body) };
      }],
      ["a wrong secret", () => signedClerk(OTHER_CLERK_SECRET)],
      ["an svix-timestamp 10 minutes old", () => signedClerk(TEST_CLERK_SECRET, nowSeconds() - 600)],
      ["an svix-timestamp 10 minutes in the future", () => signedClerk(TEST_CLERK_SECRET, nowSeconds() + 600)],
      ["no svix-signature header", () => {
        const { "svix-signature": _omitted, ...headers } = signedClerk().headers;
        return { body: signedClerk().body, headers };
      }],
      ["no svix-id header", () => {
        const signed = signedClerk();
        const { "svix-id": _omitted, ...headers } = signed.headers;
        return { body: signed.body, headers };
      }],
      ["a correctly signed body that is not JSON", () => signClerk("this is not json", TEST_CLERK_SECRET, { msgId: uniqueId("msg") })],
      ["a correctly signed JSON array", () => signClerk([userEvent()], TEST_CLERK_SECRET, { msgId: uniqueId("msg") })],
    ];

    it.each(refusals)("refuses %s with 400 and enqueues nothing", async (_name, build) => {
      const { headers, body } = build();

      const res = await post("/webhooks/clerk", headers, body);

      expectRefusal(res, 400, { body, signature: headers["svix-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    it("refuses a non-JSON content type with 415 and enqueues nothing", async () => {
      const signed = signedClerk();

      const res = await post("/webhooks/clerk", { ...signed.headers, "content-type": "text/plain" }, signed.body);

      expectRefusal(res, 415, { body: signed.body, signature: signed.headers["svix-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    it("refuses a 2 MB body with 413 and enqueues nothing", async () => {
      const signed = signClerk({ ...userEvent(), padding: "x".repeat(2 * 1024 * 1024) }, TEST_CLERK_SECRET, { msgId: uniqueId("msg") });

      const res = await post("/webhooks/clerk", signed.headers, signed.body);

      expectRefusal(res, 413, { body: signed.body.slice(0, 500), signature: signed.headers["svix-signature"] });
      await expectNothingEnqueued(receiver.queues);
    });

    it("keeps one job when the same delivery arrives 20 times concurrently", async () => {
      const msgId = uniqueId("msg");
      const signed = signClerk(userEvent(), TEST_CLERK_SECRET, { msgId });

      const responses = await Promise.all(Array.from({ length: 20 }, () => post("/webhooks/clerk", signed.headers, signed.body)));

      expect(responses.map((res) => res.status)).toEqual(Array(20).fill(200));
      await onlyJob(receiver.queues, "clerk", `clerk_${msgId}`);
    });

    it("answers 405 to GET", async () => {
      const res = await request(receiver.server).get("/webhooks/clerk");

      expect(res.status).toBe(405);
      expect(res.body).toEqual({ error: expect.any(String) });
    });
  });

  describe("the webhook answers", () => {
    it("carry the headers a JSON answer to a machine needs, and none of a browser's", async () => {
      const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
      const answers = [
        await post("/webhooks/stripe", signed.headers, signed.body),
        await post("/webhooks/stripe", signed.headers, tamper(signed.body)),
        await post("/webhooks/clerk", { "content-type": "text/plain" }, "{}"),
        await request(receiver.server).get("/webhooks/clerk"),
      ];

      expect(answers.map((res) => res.status)).toEqual([200, 400, 415, 405]);
      for (const res of answers) {
        expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
        expect(res.headers["cache-control"]).toBe("no-store");
        expect(res.headers["content-security-policy"]).toBeUndefined();
        expect(res.headers["x-frame-options"]).toBeUndefined();
      }
    });

    it("serves the routes as Express did: a trailing slash and a query string still reach them", async () => {
      const event = subscriptionEvent();
      const signed = signStripe(event, TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe/?source=test", signed.headers, signed.body);

      expect(res.status).toBe(200);
      await onlyJob(receiver.queues, "stripe", `stripe_${event.id as string}`);
    });
  });

  describe("logging", () => {
    it("logs no info line per accepted delivery, and keeps the warning for a refused one", async () => {
      const lines: string[] = [];
      const logged = await startReceiver(testServers().redisUrl, createLogger({ name: "receiver-test", level: "info", destination: { write: (line: string) => lines.push(line) } }));
      try {
        const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
        await request(logged.server).post("/webhooks/stripe").set(signed.headers).send(signed.body).expect(200);
        await request(logged.server).post("/webhooks/stripe").set(signed.headers).send(tamper(signed.body)).expect(400);
      } finally {
        await logged.close();
      }

      const messages = lines.map((line) => (JSON.parse(line) as { msg: string; level: number }));
      expect(messages).toEqual([expect.objectContaining({ msg: "webhook rejected", level: 40 })]);
    });
  });

  describe("a correctly signed delivery whose id cannot be a BullMQ job id", () => {
    // KNOWN BUG (reported, not fixed here): webhookJobId throws inside WebhookProducer.enqueue and
    // withTimeout wraps every error as QueueUnavailableError, so the receiver answers 503 and the
    // provider retries a delivery that can never be stored, for days. It should be refused (400).
    it("refuses a Stripe event id containing ':' with 400", async () => {
      const signed = signStripe(subscriptionEvent({ id: "evt_bad:id" }), TEST_STRIPE_SECRET);

      const res = await post("/webhooks/stripe", signed.headers, signed.body);

      expect(res.status).toBe(400);
      await expectNothingEnqueued(receiver.queues);
    });

    it("refuses an svix-id containing ':' with 400", async () => {
      const signed = signClerk(userEvent(), TEST_CLERK_SECRET, { msgId: "msg_bad:id" });

      const res = await post("/webhooks/clerk", signed.headers, signed.body);

      expect(res.status).toBe(400);
      await expectNothingEnqueued(receiver.queues);
    });
  });

  describe("operational routes", () => {
    it("answers 404 with a JSON error for an unknown path", async () => {
      const res = await request(receiver.server).post("/webhooks/paypal").set("content-type", "application/json").send("{}");

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "not found" });
      await expectNothingEnqueued(receiver.queues);
    });

    it("answers /healthz on the public port, and /readyz with 200 on the ops port while Redis is up", async () => {
      expect((await request(receiver.server).get("/healthz")).status).toBe(200);
      expect((await request(receiver.ops).get("/healthz")).status).toBe(200);
      const ready = await request(receiver.ops).get("/readyz");
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: "ready" });
    });

    it.each(["/readyz", "/metrics"])("does not serve %s on the public port", async (path) => {
      const res = await request(receiver.server).get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "not found" });
    });

    it("counts deliveries by provider and outcome on /metrics", async () => {
      const signed = signStripe(subscriptionEvent(), TEST_STRIPE_SECRET);
      await post("/webhooks/stripe", signed.headers, signed.body).expect(200);
      await post("/webhooks/stripe", signed.headers, signed.body).expect(200);
      await post("/webhooks/stripe", signed.headers, tamper(signed.body)).expect(400);

      const res = await request(receiver.ops).get("/metrics");

      expect(res.status).toBe(200);
      expect(res.text).toContain("# TYPE webhook_deliveries_total counter");
      expect(res.text).toContain('webhook_deliveries_total{provider="stripe",outcome="enqueued"} 1');
      expect(res.text).toContain('webhook_deliveries_total{provider="stripe",outcome="duplicate"} 1');
      expect(res.text).toContain('webhook_deliveries_total{provider="stripe",outcome="invalid_signature"} 1');
      expect(res.text).toContain("webhook_enqueue_seconds_count");
    });
  });
});

describe("receiver app when Redis goes down", () => {
  let redis: RedisServerProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    receiver = await startReceiver(redis.url);
  });

  afterAll(async () => {
    await receiver.close();
    await redis.destroy();
  });

  it("answers 503 (not a hang) while Redis is unreachable and 200 again once it is back", async () => {
    const post = (signed: { headers: Record<string, string>; body: string }, path: string) =>
      request(receiver.server)
        .post(path)
        .set(signed.headers)
        .send(signed.body)
        // A guard so a hang fails this test, not the whole run: many producer timeouts.
        .timeout(ENQUEUE_TIMEOUT_MS * 10);
    const event = subscriptionEvent();
    const stripe = signStripe(event, TEST_STRIPE_SECRET);
    const msgId = uniqueId("msg");
    const clerk = signClerk(userEvent(), TEST_CLERK_SECRET, { msgId });
    expect((await request(receiver.ops).get("/readyz")).status).toBe(200);

    await redis.stop();

    const unavailable = await post(stripe, "/webhooks/stripe");
    expectRefusal(unavailable, 503, { body: stripe.body, signature: stripe.headers["stripe-signature"] });
    expect(unavailable.headers["retry-after"]).toBeDefined();
    expectRefusal(await post(clerk, "/webhooks/clerk"), 503, { body: clerk.body, signature: clerk.headers["svix-signature"] });
    const notReady = await request(receiver.ops).get("/readyz").timeout(ENQUEUE_TIMEOUT_MS * 10);
    expect(notReady.status).toBe(503);
    expect((await request(receiver.server).get("/healthz")).status).toBe(200);

    await redis.resume();
    await waitFor("receiver to be ready again", async () => (await request(receiver.ops).get("/readyz")).status === 200);

    // The providers retry the deliveries we answered 503 to.
    expect((await post(stripe, "/webhooks/stripe")).status).toBe(200);
    expect((await post(clerk, "/webhooks/clerk")).status).toBe(200);
    const job = await onlyJob(receiver.queues, "stripe", `stripe_${event.id as string}`);
    expect(job.eventId).toBe(event.id);
    await onlyJob(receiver.queues, "clerk", `clerk_${msgId}`);
  });
});

