/**
 * Replays dead/failed webhook deliveries from the ledger through the queues, so the workers'
 * own handlers run them again. Dry run unless --execute. Usage: tsx scripts/replay.ts --help
 * The parts: replay/replay-args.ts (flags), @wh/ops (the query and one row → the queue package's replay, shared with the admin API),
 * replay/run-replay.ts.
 */
import { ConfigError } from "@wh/core";
import { createPrismaClient } from "@wh/db";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyFromEnv,
  webhookJobOptions,
} from "@wh/queue";
import { parseReplayArgs } from "./replay/replay-args";
import { loadReplayEnv } from "./replay/replay-env";
import { REPLAY_HELP } from "./replay/replay-help";
import { runReplay } from "./replay/run-replay";

/** How long Redis may take to accept the connection before the run gives up. */
const REDIS_CONNECT_TIMEOUT_MS = 10_000;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseReplayArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`replay: ${parsed.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.command === "help") {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const config = loadReplayEnv(env);

  const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
  const redis = createProducerConnection(config.REDIS_URL);
  let lastRedisError: string | undefined;
  redis.on("error", (error: Error) => {
    lastRedisError = error.message;
  });
  const queues = createWebhookQueues(redis, config.QUEUE_PREFIX, config.WEBHOOK_QUEUE_SHARDS);
  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write("[replay] Ctrl-C: stopping after the current delivery\n");
    abort.abort();
  };
  process.once("SIGINT", onSigint);
  try {
    await waitForRedis(redis, () => lastRedisError);
    const { tally, interrupted } = await runReplay(
      {
        prisma,
        queue: { queues, jobOptions: webhookJobOptions(retryPolicyFromEnv(config)), signingKeys: config.JOB_SIGNING_KEY },
        writeOut: (line) => process.stdout.write(`${line}\n`),
        writeErr: (line) => process.stderr.write(`${line}\n`),
        signal: abort.signal,
      },
      parsed.args,
    );
    return tally.errors > 0 || interrupted ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    await closeWebhookQueues(queues);
    redis.disconnect();
    await prisma.$disconnect();
  }
}

/**
 * The producer connection has no offline queue (commands sent before it is ready fail) and keeps
 * reconnecting: wait for it, through connection errors, for a bounded time.
 */
async function waitForRedis(redis: ReturnType<typeof createProducerConnection>, lastError: () => string | undefined): Promise<void> {
  if (redis.status === "ready") return;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => redis.once("ready", () => resolve()));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis not reachable within ${REDIS_CONNECT_TIMEOUT_MS} ms (${lastError() ?? "no answer"})`)),
      REDIS_CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`replay: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
