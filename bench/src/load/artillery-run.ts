import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../driver/bench-process";
import type { ArtilleryPhase } from "./load-scenarios";

export const LOADTEST_DIR = path.join(REPO_ROOT, "loadtest");

/** Response time percentiles in milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What one artillery run reports (its --output JSON), reduced to what we judge and chart. */
export interface ArtilleryStats {
  requests: number;
  /** `http.codes.<code>` counts. */
  codes: Record<string, number>;
  /** `errors.<kind>` counts: connection errors, timeouts (no HTTP answer at all). */
  errors: Record<string, number>;
  /** Webhook deliveries the receiver did not acknowledge with a 2xx (processor counter). */
  webhooksNotAccepted: number;
  /** 5xx answers of the dashboard's /v1 routes, by route (processor counters). */
  dashboardServerErrors: Record<string, number>;
  /** Journeys whose plan never showed (processor counter). */
  plansNotVisible: number;
  responseTime: Percentiles | undefined;
  /** First webhook → plan visible at GET /v1/entitlements (processor histogram). */
  planVisible: (Percentiles & { count: number }) | undefined;
  /** Response time per artillery period (10 s), seconds since the first period. */
  timeline: { atSeconds: number; p50: number; p95: number; p99: number; requestsPerSecond: number }[];
  /** Milliseconds since the epoch of artillery's first period: where the timeline starts. */
  startedAt: number;
}

interface ArtillerySummary {
  min: number;
  max: number;
  count: number;
  p50: number;
  median: number;
  p95: number;
  p99: number;
}

interface ArtilleryPeriod {
  counters?: Record<string, number>;
  summaries?: Record<string, ArtillerySummary>;
  period?: number | string;
  firstCounterAt?: number;
}

export interface ArtilleryReport {
  aggregate: ArtilleryPeriod;
  intermediate?: ArtilleryPeriod[];
}

const percentiles = (summary: ArtillerySummary | undefined): Percentiles | undefined =>
  summary && { p50: summary.p50 ?? summary.median, p95: summary.p95, p99: summary.p99, max: summary.max };

/** Reduces artillery's --output JSON. */
export function artilleryStats(report: ArtilleryReport): ArtilleryStats {
  const counters = report.aggregate.counters ?? {};
  const summaries = report.aggregate.summaries ?? {};
  const pick = (prefix: string) =>
    Object.fromEntries(Object.entries(counters).filter(([name]) => name.startsWith(prefix)).map(([name, count]) => [name.slice(prefix.length), count]));
  const periods = (report.intermediate ?? []).filter((period) => period.summaries?.["http.response_time"]);
  const periodStart = (period: ArtilleryPeriod) => Number(period.period ?? period.firstCounterAt ?? 0);
  const startedAt = periods.length > 0 ? Math.min(...periods.map(periodStart)) : Number(report.aggregate.firstCounterAt ?? 0);
  const planVisible = summaries["journey.plan_visible_ms"];
  return {
    requests: counters["http.requests"] ?? 0,
    codes: pick("http.codes."),
    errors: pick("errors."),
    webhooksNotAccepted: counters["webhooks.not_accepted"] ?? 0,
    dashboardServerErrors: pick("dashboard.5xx."),
    plansNotVisible: counters["journey.plan_not_visible"] ?? 0,
    responseTime: percentiles(summaries["http.response_time"]),
    planVisible: planVisible && { ...percentiles(planVisible)!, count: planVisible.count },
    timeline: periods
      .map((period) => {
        const summary = period.summaries!["http.response_time"]!;
        return {
          atSeconds: (periodStart(period) - startedAt) / 1000,
          p50: summary.p50 ?? summary.median,
          p95: summary.p95,
          p99: summary.p99,
          requestsPerSecond: (period.counters?.["http.requests"] ?? 0) / 10,
        };
      })
      .sort((a, b) => a.atSeconds - b.atSeconds),
    startedAt,
  };
}

export interface ArtilleryRunOptions {
  /** loadtest/scenarios/<scenario>.yml */
  scenarioFile: string;
  target: string;
  phases: ArtilleryPhase[];
  /** Where the report JSON, artillery's output and the processor's accepted-*.jsonl go. */
  outDir: string;
  /** Read by loadtest/processor.js. */
  env: Record<string, string>;
  /** Killed after this long: a run that hangs must not hang the command. */
  timeoutMs: number;
}

/** Runs artillery once (HTTP engine only) and returns its reduced report. */
export async function runArtillery(options: ArtilleryRunOptions): Promise<ArtilleryStats> {
  mkdirSync(options.outDir, { recursive: true });
  const reportFile = path.join(options.outDir, "artillery.json");
  const logFile = path.join(options.outDir, "artillery.log");
  const log = createWriteStream(logFile);
  const child = spawn(
    path.join(LOADTEST_DIR, "node_modules", ".bin", "artillery"),
    ["run", "--target", options.target, "--overrides", JSON.stringify({ config: { phases: options.phases } }), "--output", reportFile, options.scenarioFile],
    {
      cwd: LOADTEST_DIR,
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: "true", LOAD_RUN_DIR: options.outDir, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve)).finally(() => {
    clearTimeout(timer);
    process.off("exit", onExit);
  });
  if (code !== 0) throw new Error(`artillery exited with ${code} (output: ${logFile})`);
  return artilleryStats(JSON.parse(readFileSync(reportFile, "utf8")) as ArtilleryReport);
}

/**
 * Problems of a run that must fail it: requests without an answer (connection errors, timeouts),
 * webhooks not acknowledged, plans never seen; and with `poolCheck` (connection-stress) any 5xx.
 * Elsewhere a 5xx of the dashboard (its fail-closed 503 with Retry-After under overload, which
 * the plan poll retries) is reported, not failed: the webhooks' own non-2xx answers fail the run.
 */
export function artilleryProblems(stats: ArtilleryStats, options: { planVisibleCheck: boolean; poolCheck: boolean }): string[] {
  const serverErrors = options.poolCheck ? Object.entries(stats.codes).filter(([code]) => code.startsWith("5")) : [];
  return [
    ...Object.entries(stats.errors).map(([kind, count]) => `${count} requests failed without an answer (${kind})`),
    ...serverErrors.map(([code, count]) => `${count} answers ${code}`),
    ...(stats.webhooksNotAccepted > 0 ? [`${stats.webhooksNotAccepted} webhook deliveries not acknowledged with a 2xx`] : []),
    ...(options.planVisibleCheck && stats.plansNotVisible > 0 ? [`${stats.plansNotVisible} journeys never saw their plan`] : []),
    ...(stats.requests === 0 ? ["artillery sent no request"] : []),
  ];
}
