// Sends a few signed sign-up flows (the same three deliveries as webhook-signups.yml, built by
// sign-webhooks.js) so that both servers are past JIT warm-up and connection set-up before
// artillery measures them. Fails fast when a delivery is not answered 2xx (wrong secret, …).
// Usage: LOADTEST_RUN_ID=… node loadtest/warm-up.js URL FLOWS [CONCURRENCY]
"use strict";

const processor = require("./sign-webhooks");

const STEPS = [
  ["/webhooks/clerk", processor.signClerkUserCreated],
  ["/webhooks/stripe", processor.signCheckoutSessionCompleted],
  ["/webhooks/stripe", processor.signSubscriptionCreated],
];

async function flow(baseUrl) {
  const context = { vars: {} };
  await processor.newCustomer(context);
  let accepted = 0;
  for (const [path, sign] of STEPS) {
    const request = { headers: {} };
    await sign(request, context);
    const response = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
    accepted += 1;
  }
  return accepted;
}

async function main() {
  const [baseUrl, flowsArg = "50", concurrencyArg = "4"] = process.argv.slice(2);
  if (!baseUrl || !/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) {
    throw new Error("usage: warm-up.js http://127.0.0.1:PORT FLOWS [CONCURRENCY] (loopback only)");
  }
  let remaining = Number(flowsArg);
  let accepted = 0;
  const lane = async () => {
    while (remaining > 0) {
      remaining -= 1;
      const sent = await flow(baseUrl); // not `accepted += await …`: that reads `accepted` before awaiting
      accepted += sent;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrencyArg) }, lane));
  process.stdout.write(`${accepted}\n`);
}

main().catch((error) => {
  process.stderr.write(`warm-up: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
