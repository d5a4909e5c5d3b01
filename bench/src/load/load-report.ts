import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderLineChart, type ChartSeries } from "../driver/svg-chart";
import type { ArtilleryStats, Percentiles } from "./artillery-run";
import type { DatabaseVerdict } from "./database-check";
import type { PoolGauges } from "./pool-gauges";
import type { QueueSample } from "./queue-sampler";

export interface LoadReport {
  runId: string;
  scenario: string;
  summary: string;
  /** "reduced scale: …" or "production scale: …" */
  scale: string;
  command: string;
  startedAt: Date;
  machine: string[];
  /** The same phases against bench's bare baseline receiver (receiver-burst). */
  baseline: ArtilleryStats | undefined;
  load: ArtilleryStats;
  /** Milliseconds since the epoch when the run started sampling and launched artillery: time 0 of the charts. */
  loadStartedAt: number;
  queue: readonly QueueSample[];
  /** Seconds since the load started when the worker was started on the backlog; undefined when it ran throughout. */
  workerStartedAtSeconds: number | undefined;
  database: DatabaseVerdict;
  pools: readonly PoolGauges[];
  problems: readonly string[];
}

export interface WrittenReport {
  summaryFile: string;
  chartFiles: string[];
  /** The summary's text, also printed at the end of the run. */
  markdown: string;
}

const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "-" : `${Math.round(value).toLocaleString("en-US")} ms`);
const percentileRow = (label: string, p: Percentiles | undefined) => `| ${label} | ${ms(p?.p50)} | ${ms(p?.p95)} | ${ms(p?.p99)} | ${ms(p?.max)} |`;
const counts = (record: Record<string, number>) =>
  Object.keys(record).length === 0 ? "none" : Object.entries(record).map(([key, count]) => `${key}: ${count.toLocaleString("en-US")}`).join(", ");

/** Seconds over which the drain rate is averaged: the dashboard samples BullMQ once a second. */
export const DRAIN_RATE_WINDOW_SECONDS = 5;

/** Jobs a second the worker took off the queues after it started, each over the window before a sample. */
export function drainRates(queue: readonly QueueSample[], fromSeconds: number): { x: number; y: number }[] {
  const after = queue.filter((sample) => sample.atSeconds >= fromSeconds);
  return after.flatMap((sample) => {
    const earlier = after.filter((candidate) => candidate.atSeconds <= sample.atSeconds - DRAIN_RATE_WINDOW_SECONDS).at(-1);
    if (!earlier) return [];
    return [{ x: sample.atSeconds, y: Math.max(0, (earlier.depth - sample.depth) / (sample.atSeconds - earlier.atSeconds)) }];
  });
}

/** Artillery's periods on the queue samples' clock (artillery takes a while to start). */
function latencySeries(stats: ArtilleryStats, loadStartedAt: number): ChartSeries[] {
  const offset = Math.max(0, (stats.startedAt - loadStartedAt) / 1000);
  return (["p50", "p95", "p99"] as const).map((key) => ({
    name: `response time ${key}`,
    points: stats.timeline.map((period) => ({ x: offset + period.atSeconds, y: period[key] })),
  }));
}

/** Writes summary.md and the SVG charts (latency, queue depth, and drain rate for a backlog) into `runDir`. */
export function writeLoadReport(runDir: string, report: LoadReport): WrittenReport {
  const charts: { file: string; title: string; svg: string }[] = [
    {
      file: "latency.svg",
      title: "Response time over time",
      svg: renderLineChart(`${report.scenario}: response time per 10 s period (artillery)`, "milliseconds", latencySeries(report.load, report.loadStartedAt)),
    },
    {
      file: "queue-depth.svg",
      title: "Queue depth and oldest waiting job over time",
      svg: renderLineChart(`${report.scenario}: webhook queues (dashboard /metrics, every second)`, "jobs / seconds", [
        { name: "unfinished jobs", points: report.queue.map((sample) => ({ x: sample.atSeconds, y: sample.depth })) },
        { name: "oldest waiting (s)", points: report.queue.map((sample) => ({ x: sample.atSeconds, y: sample.oldestWaitingSeconds })) },
      ]),
    },
  ];
  const rates = report.workerStartedAtSeconds === undefined ? [] : drainRates(report.queue, report.workerStartedAtSeconds);
  if (report.workerStartedAtSeconds !== undefined) {
    charts.push({
      file: "drain-rate.svg",
      title: "Drain rate after the worker started",
      svg: renderLineChart(`${report.scenario}: jobs taken off the queues per second (over ${DRAIN_RATE_WINDOW_SECONDS} s)`, "jobs / second", [{ name: "drain rate", points: rates }]),
    });
  }
  for (const chart of charts) writeFileSync(path.join(runDir, chart.file), chart.svg);
  writeFileSync(path.join(runDir, "queue-samples.json"), `${JSON.stringify(report.queue)}\n`);

  const { load, database } = report;
  const peakDepth = Math.max(0, ...report.queue.map((sample) => sample.depth));
  const last = report.queue.at(-1);
  const drainSeconds = report.workerStartedAtSeconds !== undefined && last ? last.atSeconds - report.workerStartedAtSeconds : undefined;
  const lines = [
    `# Load test ${report.runId}: ${report.scenario}`,
    "",
    `**${report.problems.length === 0 ? "PASSED" : "FAILED"}** — ${report.scale}.`,
    "",
    `${report.summary}. Started ${report.startedAt.toISOString()}; command \`${report.command}\`.`,
    "",
    ...report.machine.map((line) => `- ${line}`),
    "",
    ...(report.problems.length > 0 ? ["## Problems", "", ...report.problems.map((problem) => `- ${problem}`), ""] : []),
    "## Requests (artillery)",
    "",
    `Requests: ${load.requests.toLocaleString("en-US")}; answers: ${counts(load.codes)}; errors without an answer: ${counts(load.errors)}; webhooks not acknowledged: ${load.webhooksNotAccepted}; dashboard 5xx by route: ${counts(load.dashboardServerErrors)}.`,
    "",
    "| | p50 | p95 | p99 | max |",
    "|---|---:|---:|---:|---:|",
    percentileRow("response time, ours", load.responseTime),
    ...(report.baseline ? [percentileRow("response time, bare baseline", report.baseline.responseTime)] : []),
    ...(load.planVisible ? [percentileRow(`first webhook → plan visible (${load.planVisible.count} journeys)`, load.planVisible)] : []),
    "",
    ...(report.baseline
      ? [`Bare baseline (bench/src/bare, same phases first): ${report.baseline.requests.toLocaleString("en-US")} requests; answers ${counts(report.baseline.codes)}; errors ${counts(report.baseline.errors)}.`, ""]
      : []),
    "## Database check (every accepted event applied exactly once)",
    "",
    `Acknowledged deliveries: ${database.acceptedDeliveries.toLocaleString("en-US")} (${database.distinctEvents.toLocaleString("en-US")} distinct events); ledger rows: ${database.ledgerRows.toLocaleString("en-US")}; statuses of the accepted events: ${counts(database.statuses)}.`,
    `Without a row: ${database.missing}; with more than one: ${database.duplicated}; not applied: ${database.notApplied}.`,
    "",
    "| effect | expected | found |",
    "|---|---:|---:|",
    ...database.effects.map((check) => `| ${check.name} | ${check.expected.toLocaleString("en-US")} | ${check.actual.toLocaleString("en-US")} |`),
    "",
    "## Queue",
    "",
    `Peak unfinished jobs: ${peakDepth.toLocaleString("en-US")}; last sample at ${last ? last.atSeconds.toFixed(0) : "-"} s: ${last ? `${last.depth} jobs, oldest waiting ${last.oldestWaitingSeconds.toFixed(1)} s` : "none"}.`,
    ...(drainSeconds !== undefined && report.workerStartedAtSeconds !== undefined
      ? [
          `Worker started at ${report.workerStartedAtSeconds.toFixed(0)} s on ${(report.queue.find((sample) => sample.atSeconds >= report.workerStartedAtSeconds!)?.depth ?? 0).toLocaleString("en-US")} jobs; ` +
            `drained in ${drainSeconds.toFixed(0)} s (${drainSeconds > 0 ? Math.round(database.distinctEvents / drainSeconds).toLocaleString("en-US") : "-"} events/s on average, peak ${Math.round(Math.max(0, ...rates.map((rate) => rate.y))).toLocaleString("en-US")} jobs/s over ${DRAIN_RATE_WINDOW_SECONDS} s).`,
        ]
      : []),
    "",
    ...(report.pools.length > 0
      ? [
          "## Postgres pools at the end (worker and dashboard /metrics)",
          "",
          "| app | in use | idle | waiting | checkouts | mean checkout | over 5 s | pool timeouts logged |",
          "|---|---:|---:|---:|---:|---:|---:|---:|",
          ...report.pools.map(
            (pool) =>
              `| ${pool.app} | ${pool.inUse} | ${pool.idle} | ${pool.waiting} | ${pool.acquires.toLocaleString("en-US")} | ${pool.acquires > 0 ? ((pool.acquireSecondsTotal / pool.acquires) * 1000).toFixed(2) : "-"} ms | ${pool.acquiresOver5s} | ${pool.poolTimeoutLogLines} |`,
          ),
          "",
        ]
      : []),
    "## Charts",
    "",
    ...charts.map((chart) => `![${chart.title}](${chart.file})`),
    "",
  ];
  const markdown = lines.join("\n");
  const summaryFile = path.join(runDir, "summary.md");
  writeFileSync(summaryFile, markdown);
  return { summaryFile, chartFiles: charts.map((chart) => path.join(runDir, chart.file)), markdown };
}
