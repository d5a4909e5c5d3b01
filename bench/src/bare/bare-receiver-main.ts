import { allWebhookQueues, createProducerConnection, createWebhookQueues } from "@wh/queue";
import { loadBareReceiverEnv } from "./bare-env";
import { createBareReceiver } from "./bare-receiver";

/**
 * The bare receiver as a process, for scripts/bench.sh and scripts/load.sh. Loopback only.
 * Usage: node bench/dist/bare/bare-receiver-main.js  (prints "listening on http://127.0.0.1:PORT")
 */
const env = loadBareReceiverEnv();
const connection = createProducerConnection(env.REDIS_URL);
connection.on("error", () => undefined);
const queues = createWebhookQueues(connection, env.QUEUE_PREFIX);
for (const queue of allWebhookQueues(queues)) queue.on("error", () => undefined);
const server = createBareReceiver({
  queues,
  stripeSecret: env.STRIPE_WEBHOOK_SECRET[0]!,
  clerkSecret: env.CLERK_WEBHOOK_SECRET[0]!,
});
server.keepAliveTimeout = 65_000;
server.listen(env.BARE_PORT, "127.0.0.1", () => {
  const address = server.address();
  const listeningPort = typeof address === "object" && address ? address.port : env.BARE_PORT;
  process.stdout.write(`listening on http://127.0.0.1:${listeningPort}\n`);
});
const stop = () => server.close(() => connection.quit().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
