import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { createMigratedDatabase } from "@wh/db";
import { waitFor } from "@wh/local-stack";
import { deleteQueueKeys } from "@wh/queue";
import { benchEnvironment, startDashboard, startOurWorker, startReceiver, type RunContext } from "../driver/bench-apps";
import type { BenchProcess } from "../driver/bench-process";
import { describeMachine } from "../driver/machine-description";
import { artilleryProblems, LOADTEST_DIR, runArtillery, type ArtilleryStats } from "./artillery-run";
import { countSettledRows, judgeDatabase, readAcceptedDeliveries, readLedger } from "./database-check";
import { LoadUsageError, parseLoadArguments, scaleStatement, type LoadOptions } from "./load-options";
import { writeLoadReport } from "./load-report";
import { poolGaugesOf, poolProblems, type PoolGauges } from "./pool-gauges";
import { scrapeMetrics } from "./prometheus-text";
import { QueueSampler } from "./queue-sampler";

/** The service API token of the run's dashboard; the processor presents it (development-only value). */
const INTERNAL_API_TOKEN = "load-test-only-internal-api-token-0123456789";
/** The worker's concurrency: the app's default, so the pools have their production size. */
const WORKER_CONCURRENCY = 4;
const REPORTS_KEPT = 10;

const log = (message: string) => process.stderr.write(`[load] ${message}\n`);

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new LoadUsageError(`${name} is not set (scripts/load.sh exports it after the bootstrap)`);
  return value;
}

/** WEBHOOK_QUEUE_SHARDS of the caller's environment, given to our apps as it is (default 1). */
function queueShardsOf(value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  const shards = Number(value);
  if (!Number.isInteger(shards) || shards < 1 || shards > 64) throw new LoadUsageError(`WEBHOOK_QUEUE_SHARDS must be a whole number from 1 to 64, got '${value}'`);
  return shards;
}

/** Keeps the newest reports only. */
function pruneReports(reportsDir: string): void {
  const runs = readdirSync(reportsDir)
    .filter((name) => /^lt\d{12}[0-9a-f]{4}$/.test(name))
    .map((name) => ({ name, at: statSync(path.join(reportsDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const run of runs.slice(REPORTS_KEPT - 1)) rmSync(path.join(reportsDir, run.name), { recursive: true, force: true });
}

async function run(options: LoadOptions, command: string): Promise<boolean> {
  const { scenario } = options;
  const startedAt = new Date();
  const runId = `lt${startedAt.toISOString().replace(/\D/g, "").slice(2, 14)}${randomBytes(2).toString("hex")}`;
  const reportsDir = path.join(LOADTEST_DIR, "reports");
  mkdirSync(reportsDir, { recursive: true });
  pruneReports(reportsDir);
  const runDir = path.join(reportsDir, runId);
  mkdirSync(runDir);
  const redisUrl = requiredEnv("REDIS_URL");
  const database = await createMigratedDatabase({ serverUrl: requiredEnv("DATABASE_URL"), namePrefix: "load", poolMax: 1 });
  await database.prisma.$disconnect();
  const context: RunContext = {
    redisUrl,
    databaseUrl: database.url,
    queuePrefix: `{whload-${runId}}`,
    queueShards: queueShardsOf(process.env.WEBHOOK_QUEUE_SHARDS),
    concurrency: WORKER_CONCURRENCY,
    logDir: runDir,
  };
  const baselinePrefix = `{whload-${runId}-bare}`;
  log(`run ${runId}: ${scenario.name}, ${scaleStatement(options)}; database ${database.name}, queue prefix ${context.queuePrefix}`);
  const started: BenchProcess[] = [];
  const { STRIPE_WEBHOOK_SECRET, CLERK_WEBHOOK_SECRET } = benchEnvironment(context);
  const artillery = (target: string, outDir: string, env: Record<string, string>) =>
    runArtillery({
      scenarioFile: path.join(LOADTEST_DIR, "scenarios", `${scenario.name}.yml`),
      target,
      phases: scenario.phases(options.rate, options.durationSeconds),
      outDir,
      env: {
        LOAD_RUN_ID: runId,
        LOAD_LOOP_SECONDS: String(options.durationSeconds),
        // the processor signs with the secrets the receivers were given
        STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET!,
        CLERK_WEBHOOK_SECRET: CLERK_WEBHOOK_SECRET!,
        ...env,
      },
      timeoutMs: (options.durationSeconds + 300) * 1000,
    });
  try {
    let baseline: ArtilleryStats | undefined;
    if (scenario.againstBaseline) {
      const bare = await startReceiver("bare", { ...context, queuePrefix: baselinePrefix });
      log(`artillery against the bare baseline receiver ${bare.url}`);
      baseline = await artillery(bare.url, path.join(runDir, "baseline"), {}).finally(() => bare.process.stop());
    }

    const receiver = await startReceiver("ours", context);
    started.push(receiver.process);
    const dashboard = await startDashboard(context, { internalApiToken: INTERNAL_API_TOKEN, queueMetricsIntervalMs: 1_000 });
    started.push(dashboard.process);
    let worker = scenario.workerDuringLoad ? await startOurWorker(context) : undefined;
    if (worker) started.push(worker.process);

    const loadStartedAt = Date.now();
    const sampler = new QueueSampler(dashboard.url, loadStartedAt);
    sampler.start();
    log(`artillery against the receiver ${receiver.url} (dashboard ${dashboard.url}); worker ${worker ? "running" : "stopped until the load ends"}`);
    const loadDir = path.join(runDir, "load");
    const load = await artillery(receiver.url, loadDir, { LOAD_DASHBOARD_URL: dashboard.url, LOAD_INTERNAL_API_TOKEN: INTERNAL_API_TOKEN });

    let workerStartedAtSeconds: number | undefined;
    if (!worker) {
      workerStartedAtSeconds = (Date.now() - loadStartedAt) / 1000;
      log("starting the worker on the backlog");
      worker = await startOurWorker(context);
      started.push(worker.process);
    }

    const accepted = readAcceptedDeliveries(loadDir);
    const distinctEvents = new Set(accepted.map((delivery) => `${delivery.provider} ${delivery.eventId}`)).size;
    log(`waiting (at most ${options.drainTimeoutSeconds} s) for the worker to settle ${distinctEvents} accepted events and the queues to empty`);
    const drained = await waitFor(
      "the accepted events to settle",
      async () => {
        const sample = sampler.samples.at(-1);
        return sample?.depth === 0 && sample.oldestWaitingSeconds === 0 && (await countSettledRows(database.url)) >= distinctEvents;
      },
      { timeoutMs: options.drainTimeoutSeconds * 1000, intervalMs: 1_000 },
    ).then(
      () => true,
      () => false,
    );
    await sampler.stop();

    const pools: PoolGauges[] = scenario.poolCheck
      ? [
          poolGaugesOf("worker", await scrapeMetrics(worker.url), worker.process.log),
          poolGaugesOf("dashboard", await scrapeMetrics(dashboard.url), dashboard.process.log),
        ]
      : [];
    const verdict = judgeDatabase(accepted, await readLedger(database.url));
    const problems = [
      ...artilleryProblems(load, scenario),
      ...(drained ? [] : [`the queues did not empty, or the ledger did not settle, within ${options.drainTimeoutSeconds} s`]),
      ...verdict.problems,
      ...poolProblems(pools),
    ];
    const written = writeLoadReport(runDir, {
      runId,
      scenario: scenario.name,
      summary: scenario.summary,
      scale: scaleStatement(options),
      command,
      startedAt,
      machine: describeMachine("Redis and Postgres of REDIS_URL and DATABASE_URL"),
      baseline,
      load,
      loadStartedAt,
      queue: sampler.samples,
      workerStartedAtSeconds,
      database: verdict,
      pools,
      problems,
    });
    process.stdout.write(`${written.markdown}\n`);
    log(`report: ${path.relative(process.cwd(), written.summaryFile)} (charts: ${written.chartFiles.map((file) => path.basename(file)).join(", ")})`);
    return problems.length === 0;
  } finally {
    await Promise.all(started.map((processOfRun) => processOfRun.stop()));
    if (options.keepData) {
      log(`kept the run's database ${database.name} and Redis keys under ${context.queuePrefix}`);
    } else {
      // a leftover is worth a warning, not a failed run: the checks above decided the outcome
      await database.drop().catch((error: Error) => log(`could not drop the run's database ${database.name}: ${error.message}`));
      for (const prefix of [context.queuePrefix, baselinePrefix]) {
        await deleteQueueKeys(redisUrl, prefix, context.queueShards).catch((error: Error) => log(`could not remove the Redis keys under ${prefix}: ${error.message}`));
      }
    }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const checkOnly = argv[0] === "--check-arguments";
  const args = checkOnly ? argv.slice(1) : argv;
  let command;
  try {
    command = parseLoadArguments(args);
  } catch (error) {
    if (!(error instanceof LoadUsageError)) throw error;
    process.stderr.write(`load.sh: ${error.message}\nRun bash scripts/load.sh --help for the options.\n`);
    return 2;
  }
  if (command.kind === "help") {
    process.stdout.write(`${command.text}\n`);
    return 0;
  }
  if (checkOnly) return 0;
  return (await run(command.options, ["bash scripts/load.sh", ...args].join(" "))) ? 0 : 1;
}

// Ctrl-C or a stop: exit through process.exit, whose hooks kill the apps and artillery this run started.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
