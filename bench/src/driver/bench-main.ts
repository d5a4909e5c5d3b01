import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { errorMessage } from "@wh/core";
import type { RunContext, Variant } from "./bench-apps";
import { BenchUsageError, parseBenchOptions, reducedScale, type BenchMode, type BenchOptions } from "./bench-options";
import { REPO_ROOT } from "./bench-process";
import { BenchServers } from "./bench-servers";
import { renderBenchmarksDoc, renderSoakSection, sectionOf, SOAK_ONLY_PAGE, withSection } from "./benchmarks-doc";
import { profilesIn, topSelfTime } from "./cpu-profile-top";
import { runE2eScenario } from "./e2e-scenario";
import { describeMachine } from "./machine-description";
import type { Measurement } from "./measurement";
import { receiverScenarioName, runReceiverScenario, type ReceiverLoad } from "./receiver-scenario";
import { aggregate, formatTable, highestFlatRates } from "./result-table";
import { formatMemoryTable, SOAK_LIMITS, soakPassed } from "./soak-memory";
import { runSoakScenario } from "./soak-scenario";
import { renderChart, renderLineChart } from "./svg-chart";
import { runWorkerScenario } from "./worker-scenario";

type WorkerSideContext = Omit<RunContext, "redisUrl" | "databaseUrl" | "queuePrefix">;

interface Scenario {
  name: string;
  run(variant: Variant, context: WorkerSideContext): Promise<Measurement>;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** The bare-vs-ours scenarios of a mode (the soak measures ours alone: `soak`). */
function scenarios(options: BenchOptions, mode: Exclude<BenchMode, "soak">, servers: BenchServers): Scenario[] {
  const durationMs = options.durationSeconds * 1000;
  const drainTimeoutMs = options.drainTimeoutSeconds * 1000;
  const receiver = (load: ReceiverLoad): Scenario => ({
    name: receiverScenarioName(load),
    run: (variant, context) =>
      runReceiverScenario(variant, { servers, context, load, durationMs, warmUpMs: options.warmUpSeconds * 1000, subscriptions: options.subscriptions }),
  });
  const all: Record<Exclude<BenchMode, "all" | "soak">, Scenario[]> = {
    receiver: [
      receiver({ kind: "closed", connections: options.connections }),
      ...options.receiverRates.map((rate) => receiver({ kind: "open", rate })),
    ],
    worker: [
      {
        name: "worker",
        run: (variant, context) =>
          runWorkerScenario(variant, { servers, context, events: options.events, subscriptions: options.subscriptions, drainTimeoutMs }),
      },
    ],
    e2e: options.e2eRates.map((rate) => ({
      name: `e2e ${rate}/s`,
      run: (variant, context) =>
        runE2eScenario(variant, { servers, context, rate, durationMs, warmUpMs: options.warmUpSeconds * 1000, subscriptions: options.subscriptions, drainTimeoutMs }),
    })),
  };
  return mode === "all" ? [...all.receiver, ...all.worker, ...all.e2e] : all[mode];
}

const DOCS_DIR = path.join(REPO_ROOT, "docs");
const BENCHMARKS_PAGE = path.join(DOCS_DIR, "benchmarks.md");
const currentBenchmarksPage = () => (existsSync(BENCHMARKS_PAGE) ? readFileSync(BENCHMARKS_PAGE, "utf8") : undefined);

interface RunInfo {
  servers: BenchServers;
  machine: string[];
  startedAt: Date;
  busy: boolean;
  reportDir: string;
  command: string;
}

/**
 * `bench.sh soak`: our receiver and worker at one rate for the duration, their RSS against
 * issue 8's limits. Writes the "Memory soak" section of docs/benchmarks.md (the rest of the page
 * stays) and docs/benchmarks-soak.svg. 0 when every check and the verification passed.
 */
async function soak(options: BenchOptions, run: RunInfo): Promise<number> {
  const result = await runSoakScenario(
    {
      servers: run.servers,
      context: { concurrency: options.concurrency, logDir: run.reportDir },
      rate: options.soakRate,
      durationMs: options.durationSeconds * 1000,
      warmUpMs: options.warmUpSeconds * 1000,
      subscriptions: options.subscriptions,
      drainTimeoutMs: options.drainTimeoutSeconds * 1000,
    },
    log,
  );
  const table = formatMemoryTable(result.memory);
  const memoryPassed = soakPassed(result.memory);
  const memoryVerdict = `Memory: ${memoryPassed ? "PASS" : "FAIL"} (receiver < ${SOAK_LIMITS.rssBytes.receiver! / 1e6} MB, worker < ${SOAK_LIMITS.rssBytes.worker! / 1e6} MB, growth after the warm-up < ${SOAK_LIMITS.growth * 100} %).`;
  const verification = result.verified
    ? `Verification: OK: every accepted event applied exactly once, every subscription on its newest plan (${result.verification}).`
    : `Verification: FAILED: ${result.verification}`;
  const section = renderSoakSection({
    command: run.command,
    startedAt: run.startedAt,
    machine: run.machine,
    busy: run.busy,
    reduced: reducedScale(options),
    durationSeconds: options.durationSeconds,
    warmUpSeconds: options.warmUpSeconds,
    concurrency: options.concurrency,
    result,
    table,
    memoryVerdict,
    verification,
    chartFile: "benchmarks-soak.svg",
  });
  const mb = (points: readonly { atSeconds: number; bytes: number }[]) => points.map((point) => ({ x: point.atSeconds, y: point.bytes / 1e6 }));
  const peak = Math.max(...Object.values(result.rss).flat().map((point) => point.bytes / 1e6));
  const chart = renderLineChart(`Memory soak: RSS of our apps, ${result.rate} events/s offered, run ${run.startedAt.toISOString().slice(0, 16)}Z`, "RSS, MB", [
    ...Object.entries(result.rss).map(([label, points]) => ({ name: label, points: mb(points) })),
    { name: "end of warm-up", points: [{ x: options.warmUpSeconds, y: 0 }, { x: options.warmUpSeconds, y: peak }] },
  ]);
  writeFileSync(path.join(run.reportDir, "soak.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(run.reportDir, "soak.md"), `${section}\n`);
  writeFileSync(path.join(run.reportDir, "benchmarks-soak.svg"), chart);
  if (options.writeDocs) {
    mkdirSync(DOCS_DIR, { recursive: true });
    writeFileSync(BENCHMARKS_PAGE, withSection(currentBenchmarksPage() ?? SOAK_ONLY_PAGE, "soak", section));
    writeFileSync(path.join(DOCS_DIR, "benchmarks-soak.svg"), chart);
  }
  process.stdout.write(`\n${run.machine.join("\n")}\n\n${table}\n\n${memoryVerdict}\n${verification}\n`);
  log(`written: ${options.writeDocs ? "docs/benchmarks.md (section Memory soak), docs/benchmarks-soak.svg, " : ""}${path.relative(REPO_ROOT, run.reportDir)}/`);
  return memoryPassed && result.verified ? 0 : 1;
}

/** Keeps the newest `keep` run folders (run ids sort by time). */
function pruneReports(reportsDir: string, keep: number): void {
  const runs = readdirSync(reportsDir).filter((name) => /^b\d{12}$/.test(name)).sort();
  for (const run of runs.slice(0, Math.max(0, runs.length - keep))) rmSync(path.join(reportsDir, run), { recursive: true, force: true });
}

async function main(argv: string[]): Promise<number> {
  const options = parseBenchOptions(argv);
  const startedAt = new Date();
  const busyAtStart = loadavg()[0]! > cpus().length;
  const runId = `b${startedAt.toISOString().replace(/[-:T]/g, "").slice(2, 14)}`;
  const reportsDir = path.join(REPO_ROOT, "bench", "reports");
  const reportDir = path.join(reportsDir, runId);
  mkdirSync(reportDir, { recursive: true });
  pruneReports(reportsDir, 10);
  log(`run ${runId}: starting a Redis and a Postgres of the benchmark's own; reports in ${path.relative(REPO_ROOT, reportDir)}`);
  const servers = await BenchServers.start();
  stopServers = () => servers.close();
  const machine = describeMachine(servers.versions);
  const command = `bash scripts/bench.sh ${argv.join(" ")}`.trim();
  if (options.mode === "soak") {
    try {
      return await soak(options, { servers, machine, startedAt, busy: busyAtStart, reportDir, command });
    } finally {
      await servers.close();
    }
  }
  const mode = options.mode;
  const measurements: Measurement[] = [];
  const profileDirs: { label: string; dir: string }[] = [];
  try {
    for (let repeat = 0; repeat < options.repeat; repeat += 1) {
      const order: Variant[] = repeat % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"];
      for (const scenario of scenarios(options, mode, servers)) {
        for (const variant of order) {
          const cpuProfileDir = options.cpuProf ? path.join(reportDir, "profiles", slug(scenario.name)) : undefined;
          log(`repeat ${repeat + 1}/${options.repeat}: ${scenario.name}, ${variant}`);
          const measurement = await scenario.run(variant, { concurrency: options.concurrency, logDir: reportDir, cpuProfileDir });
          log(`  ${Math.round(measurement.throughput)} ${measurement.unit}/s; ${measurement.verified ? "verified" : "NOT VERIFIED"}: ${measurement.verification}`);
          measurements.push(measurement);
          if (cpuProfileDir && repeat === 0) {
            for (const app of ["receiver", "worker"]) profileDirs.push({ label: `${scenario.name}: ${variant} ${app}`, dir: path.join(cpuProfileDir, `${variant}-${app}`) });
          }
        }
      }
    }
  } finally {
    await servers.close();
  }

  const rows = aggregate(measurements);
  const table = formatTable(rows);
  const flat = highestFlatRates(rows);
  const flatRates = rows.some((row) => row.flat !== undefined)
    ? `E2E, highest offered rate with a flat queue depth: bare ${flat.bare ?? "none"}/s, ours ${flat.ours ?? "none"}/s.`
    : undefined;
  const failed = measurements.filter((measurement) => !measurement.verified);
  const verification =
    failed.length === 0
      ? `Verification: OK, ${measurements.length} runs: ${[
          ...(measurements.some((m) => m.unit === "req") ? ["every delivery answered 2xx is exactly one job in Redis"] : []),
          ...(measurements.some((m) => m.unit === "event") ? ["every accepted event applied exactly once, every subscription on its newest plan"] : []),
        ].join("; ")}.`
      : `Verification: FAILED in ${failed.length} of ${measurements.length} runs: ${failed.map((m) => `${m.scenario} (${m.variant}): ${m.verification}`).join("; ")}`;
  const profiles = profileDirs.flatMap(({ label, dir }) => {
    const files = profilesIn(dir);
    if (files.length === 0) return [];
    return [`${label} (${files.length} profile${files.length > 1 ? "s" : ""}, top 15 self time)`, ...topSelfTime(files, REPO_ROOT).map((entry) => `  ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`), ""];
  });

  const doc = renderBenchmarksDoc({
    command,
    startedAt,
    machine,
    busy: busyAtStart,
    reduced: reducedScale(options),
    table,
    flatRates,
    verification,
    chartFile: "benchmarks.svg",
    profiles,
    rows,
  });
  const scale = reducedScale(options).length > 0 ? "reduced scale, " : "";
  const chart = renderChart(rows, `bare vs ours, ${scale}medians of ${options.repeat}, run ${startedAt.toISOString().slice(0, 16)}Z`);
  writeFileSync(path.join(reportDir, "measurements.json"), `${JSON.stringify(measurements, null, 2)}\n`);
  writeFileSync(path.join(reportDir, "benchmarks.md"), doc);
  writeFileSync(path.join(reportDir, "benchmarks.svg"), chart);
  if (options.writeDocs) {
    mkdirSync(DOCS_DIR, { recursive: true });
    writeFileSync(BENCHMARKS_PAGE, withSection(doc, "soak", sectionOf(currentBenchmarksPage() ?? "", "soak")));
    writeFileSync(path.join(DOCS_DIR, "benchmarks.svg"), chart);
  }

  process.stdout.write(`\n${machine.join("\n")}\n\n${table}\n\n`);
  if (flatRates) process.stdout.write(`${flatRates}\n`);
  if (profiles.length > 0) process.stdout.write(`\n${profiles.join("\n")}\n`);
  process.stdout.write(`${verification}\n`);
  log(`written: ${options.writeDocs ? "docs/benchmarks.md, docs/benchmarks.svg, " : ""}${path.relative(REPO_ROOT, reportDir)}/`);
  return failed.length === 0 ? 0 : 1;
}

/** Stops the benchmark's servers when a signal ends the run (the apps are killed by BenchProcess's exit hook). */
let stopServers: (() => Promise<void>) | undefined;
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping what the benchmark started`);
    void (stopServers?.() ?? Promise.resolve()).finally(() => process.exit(code));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`bench.sh: ${error.message}\nRun bash scripts/bench.sh --help for the options.\n`);
      process.exit(2);
    }
    process.stderr.write(`bench.sh: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`);
    process.exit(1);
  },
);
