import { execFile } from "node:child_process";
import path from "node:path";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  retryPolicyEnvFields,
  webhookJobId,
  type WebhookJob,
  type WebhookQueues,
} from "@wh/queue";
import { TEST_JOB_SIGNING_KEY, testServers, uniqueQueuePrefix } from "@wh/testkit";
import {
  addFailedJob,
  deleteLedgerRows,
  insertLedgerRow,
  ledgerSnapshot,
  redisSnapshot,
  uniqueTimeWindow,
} from "./test-support/replay-fixtures";

/**
 * `ops-cli replay` as an operator runs it: a child process through tsx, on the built packages.
 * The behaviour is tested in run-replay.test.ts; this checks the wiring, help and exit codes.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function replayCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const options = { cwd: ROOT, env: { ...process.env, JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY, ...env } };
    execFile(TSX, [path.join(ROOT, "apps", "ops-cli", "src", "main.ts"), "replay", ...args], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("ops-cli replay", () => {
  it("documents every flag and variable with --help, and exits 2 on a usage error", async () => {
    const help = await replayCli(["--help"]);

    expect(help.code).toBe(0);
    for (const flag of ["--event", "--provider", "--status", "--type", "--since", "--until", "--limit", "--execute", "--help"]) {
      expect(help.stdout).toContain(flag);
    }
    for (const variable of ["DATABASE_URL", "REDIS_URL", "QUEUE_PREFIX", "JOB_SIGNING_KEY", ...Object.keys(retryPolicyEnvFields)]) {
      expect(help.stdout).toContain(variable);
    }

    const badDate = await replayCli(["--status", "dead", "--since", "2026-11-31"]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--since must be a date/);
    const unknown = await replayCli(["--status", "dead", "--everything"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--everything'/);
  });

  describe("against Redis and Postgres", () => {
    let prisma: PrismaClient;
    let connection: ReturnType<typeof createProducerConnection>;
    let queues: WebhookQueues;
    let job: WebhookJob | undefined;

    beforeAll(() => {
      prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
      connection = createProducerConnection(testServers().redisUrl);
      queues = createWebhookQueues(connection, uniqueQueuePrefix());
    });

    afterAll(async () => {
      if (job) await deleteLedgerRows(prisma, [job]);
      await Promise.all(allWebhookQueues(queues).map((queue) => queue.obliterate({ force: true })));
      await closeWebhookQueues(queues);
      await connection.quit();
      await prisma.$disconnect();
    });

    it("lists the dead delivery in a dry run, exits 0 and changes nothing", async () => {
      const window = uniqueTimeWindow();
      job = await insertLedgerRow(prisma, { status: "dead", receivedAt: window.at(1) });
      await addFailedJob(queues, job);
      const redisBefore = await redisSnapshot(connection, queues);
      const ledgerBefore = await ledgerSnapshot(prisma, [job]);

      const since = window.start.toISOString();
      const until = window.end.toISOString();
      const result = await replayCli(
        ["--status", "dead,failed", "--provider", "clerk", "--since", since, "--until", until],
        { QUEUE_PREFIX: queues.clerk.opts.prefix! },
      );

      expect(result).toMatchObject({ code: 0 });
      const jobId = webhookJobId("clerk", job.eventId);
      expect(result.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(new RegExp(`^would retry +provider=clerk event=${job.eventId} .* job=${jobId}$`)),
      ]);
      expect(result.stderr).toContain(
        "[replay] dry run: selected 1: would retry 1, would re-add 0, would replace 0, already queued 0, already settled 0, deferred 0, errors 0",
      );
      expect(result.stderr).toContain("nothing was changed");
      expect(await redisSnapshot(connection, queues)).toEqual(redisBefore);
      expect(await ledgerSnapshot(prisma, [job])).toEqual(ledgerBefore);
      expect(await queues.clerk.getJobState(webhookJobId("clerk", job.eventId))).toBe("failed");
    });
  });
});
