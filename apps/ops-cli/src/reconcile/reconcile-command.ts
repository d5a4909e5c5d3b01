/**
 * `ops-cli reconcile stripe|clerk`: compares what a provider knows with the ledger and queues what
 * is missing (dry run unless --execute). The logic is packages/ops' (the worker's daily Stripe
 * reconciliation runs the same); this file reads the command line and the environment, opens the
 * connections and prints.
 */
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  createClerkUsersClient,
  createStripeEventsClient,
  reconcileClerk,
  reconcileStripe,
  stripeReconcileWindow,
  type ReconcileSummary,
} from "@wh/ops";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyFromEnv,
  webhookJobOptions,
  WebhookProducer,
  type ReplayWebhookJobOptions,
} from "@wh/queue";
import { UsageError, type CliIo } from "../cli-io";
import { loadClerkReconcileEnv, loadStripeReconcileEnv, type StripeReconcileEnv } from "../env";
import { waitForRedis } from "../wait-for-redis";
import { parseReconcileArgs } from "./reconcile-args";
import { RECONCILE_HELP } from "./reconcile-help";
import { clerkUserLine, stripeEventLine, summaryLine } from "./reconcile-output";

/** Upper bound on one enqueue of a Clerk job, as the receiver's. */
const ENQUEUE_TIMEOUT_MS = 5_000;

export async function runReconcileCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseReconcileArgs(argv);
  if (!parsed.ok) throw new UsageError(parsed.message);
  const args = parsed.args;
  switch (args.command) {
    case "help":
      io.stdout.write(RECONCILE_HELP);
      return 0;
    case "stripe": {
      const checked = stripeReconcileWindow(args.since, args.until, new Date());
      if (!checked.ok) throw new UsageError(checked.message);
      const config = loadStripeReconcileEnv(io.env);
      const what = `stripe ${checked.window.since.toISOString()} … ${checked.window.until.toISOString()}`;
      return withConnections(config, io, what, args.execute, ({ prisma, queue }) =>
        reconcileStripe({
          stripe: createStripeEventsClient({ apiKey: config.STRIPE_API_KEY, apiUrl: config.STRIPE_API_URL }),
          prisma,
          queue,
          window: checked.window,
          execute: args.execute,
          onEvent: (event) => io.stdout.write(`${stripeEventLine(event, args.execute)}\n`),
          onProgress: (summary) => io.stderr.write(`${summaryLine(what, summary, args.execute)}\n`),
          backoff: { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 60_000, onWait: ({ delayMs }) => io.stderr.write(`[reconcile] Stripe answered 429: waiting ${delayMs} ms\n`) },
          signal: io.signal,
        }),
      );
    }
    case "clerk": {
      const config = loadClerkReconcileEnv(io.env);
      return withConnections(config, io, "clerk users", args.execute, ({ prisma, queue }) =>
        reconcileClerk({
          clerk: createClerkUsersClient({ secretKey: config.CLERK_SECRET_KEY, apiUrl: config.CLERK_API_URL }),
          prisma,
          producer: new WebhookProducer({ ...queue, timeoutMs: ENQUEUE_TIMEOUT_MS }),
          execute: args.execute,
          onUser: (user) => io.stdout.write(`${clerkUserLine(user)}\n`),
          onProgress: (summary) => io.stderr.write(`${summaryLine("clerk users", summary, args.execute)}\n`),
          backoff: { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 60_000, onWait: ({ delayMs }) => io.stderr.write(`[reconcile] Clerk answered 429: waiting ${delayMs} ms\n`) },
          signal: io.signal,
        }),
      );
    }
  }
}

type ConnectionConfig = Pick<StripeReconcileEnv, "DATABASE_URL" | "REDIS_URL" | "QUEUE_PREFIX" | "WEBHOOK_QUEUE_SHARDS" | "JOB_SIGNING_KEY"> & Parameters<typeof retryPolicyFromEnv>[0];

/** Opens the ledger and the queues, runs, prints the summary, closes; the exit code. */
async function withConnections(
  config: ConnectionConfig,
  io: CliIo,
  what: string,
  execute: boolean,
  run: (connections: { prisma: PrismaClient; queue: ReplayWebhookJobOptions }) => Promise<ReconcileSummary>,
): Promise<number> {
  const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
  const redis = createProducerConnection(config.REDIS_URL);
  const queues = createWebhookQueues(redis, config.QUEUE_PREFIX, config.WEBHOOK_QUEUE_SHARDS);
  try {
    await waitForRedis(redis);
    const summary = await run({ prisma, queue: { queues, jobOptions: webhookJobOptions(retryPolicyFromEnv(config)), signingKeys: config.JOB_SIGNING_KEY } });
    io.stderr.write(`${summaryLine(what, summary, execute)}${io.signal.aborted ? " (interrupted)" : ""}\n`);
    if (!execute) io.stderr.write("[reconcile] dry run: nothing was queued; run again with --execute to queue it\n");
    return summary.errors > 0 || io.signal.aborted ? 1 : 0;
  } finally {
    await closeWebhookQueues(queues);
    redis.disconnect();
    await prisma.$disconnect();
  }
}
