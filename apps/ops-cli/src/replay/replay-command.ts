/**
 * `ops-cli replay`: replays dead/failed webhook deliveries from the ledger through the queues, so
 * the workers' own handlers run them again. Dry run unless --execute. The parts: replay-args.ts
 * (flags), @wh/ops (the query and one row → the queue package's replay, shared with the admin
 * API), run-replay.ts.
 */
import { createPrismaClient } from "@wh/db";
import {
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyFromEnv,
  webhookJobOptions,
} from "@wh/queue";
import { UsageError, type CliIo } from "../cli-io";
import { loadReplayEnv } from "../env";
import { createProgress } from "../progress/create-progress";
import { waitForRedis } from "../wait-for-redis";
import { parseReplayArgs } from "./replay-args";
import { REPLAY_HELP } from "./replay-help";
import { runReplay } from "./run-replay";

/** A progress line (or a bar redraw) after every this many deliveries. */
const PROGRESS_EVERY = 200;

export async function runReplayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseReplayArgs(argv);
  if (!parsed.ok) throw new UsageError(parsed.message);
  if (parsed.command === "help") {
    io.stdout.write(REPLAY_HELP);
    return 0;
  }
  const config = loadReplayEnv(io.env);

  const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
  const redis = createProducerConnection(config.REDIS_URL);
  const queues = createWebhookQueues(redis, config.QUEUE_PREFIX, config.WEBHOOK_QUEUE_SHARDS);
  const progress = createProgress(io.stderr, "replay", PROGRESS_EVERY);
  try {
    await waitForRedis(redis);
    const { tally, interrupted } = await runReplay(
      {
        prisma,
        queue: { queues, jobOptions: webhookJobOptions(retryPolicyFromEnv(config)), signingKeys: config.JOB_SIGNING_KEY },
        writeOut: (line) => {
          const write = () => io.stdout.write(`${line}\n`);
          if (io.stdout.isTTY === true) progress.writeAbove(write);
          else write();
        },
        writeErr: (line) => progress.writeAbove(() => io.stderr.write(`${line}\n`)),
        progress,
        signal: io.signal,
      },
      parsed.args,
    );
    return tally.errors > 0 || interrupted ? 1 : 0;
  } finally {
    await closeWebhookQueues(queues);
    redis.disconnect();
    await prisma.$disconnect();
  }
}
