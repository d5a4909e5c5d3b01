import { median } from "./latency-stats";

/** One RSS reading: seconds since the soak's load started, bytes. */
export interface RssPoint {
  atSeconds: number;
  bytes: number;
}

/** Issue 8's memory targets: RSS limits per process and the growth allowed after the warm-up. */
export const SOAK_LIMITS = {
  rssBytes: { receiver: 200e6, worker: 300e6 } as Record<string, number>,
  growth: 0.1,
} as const;

/** Seconds of samples whose median stands for "at the end of the warm-up" and "at the end" (one reading is noisy). */
export const SOAK_WINDOW_SECONDS = 10;

export interface SoakWindow {
  warmUpSeconds: number;
  endSeconds: number;
}

/** One process's memory over a soak, with its verdicts. */
export interface MemoryReport {
  process: string;
  /** Median RSS over the last SOAK_WINDOW_SECONDS of the warm-up. */
  atWarmUpEnd: number;
  /** Median RSS over the last SOAK_WINDOW_SECONDS of the load. */
  atEnd: number;
  max: number;
  /** atEnd / atWarmUpEnd − 1: shown, not judged (a reading lands anywhere on the heap's sawtooth). */
  growth: number;
  /** Least-squares slope over the readings after the warm-up, bytes per minute. */
  slopePerMinute: number;
  /** The least-squares line's rise from the warm-up end to the end, over its value at the warm-up end: judged. */
  fittedGrowth: number;
  limitBytes: number;
  maxPass: boolean;
  growthPass: boolean;
}

/** The least-squares line through the points: its slope and its value at any x; NaN with fewer than two distinct x. */
export function leastSquaresLine(points: readonly { x: number; y: number }[]): { slope: number; valueAt(x: number): number } {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  const slope = variance > 0 ? covariance / variance : Number.NaN;
  return { slope, valueAt: (x) => meanY + slope * (x - meanX) };
}

const medianBytesIn = (points: readonly RssPoint[], from: number, to: number) =>
  median(points.filter((point) => point.atSeconds > from && point.atSeconds <= to).map((point) => point.bytes));

/**
 * A process's RSS over the soak against its limit (every reading, warm-up included, below it) and
 * the growth limit. Growth is judged on the least-squares line through every reading after the
 * warm-up (its rise over the soak after the warm-up, relative to its value at the warm-up end):
 * V8's heap grows and is collected in a sawtooth of tens of MB, so two windows of readings can
 * differ by more than 10 % without any leak, while a leak raises the whole line. No readings, or
 * a process without a limit, fail.
 */
export function memoryReport(process: string, points: readonly RssPoint[], window: SoakWindow): MemoryReport {
  const atWarmUpEnd = medianBytesIn(points, window.warmUpSeconds - SOAK_WINDOW_SECONDS, window.warmUpSeconds);
  const atEnd = medianBytesIn(points, window.endSeconds - SOAK_WINDOW_SECONDS, window.endSeconds);
  const max = points.length > 0 ? Math.max(...points.map((point) => point.bytes)) : Number.NaN;
  const after = points.filter((point) => point.atSeconds >= window.warmUpSeconds && point.atSeconds <= window.endSeconds);
  const line = leastSquaresLine(after.map((point) => ({ x: point.atSeconds, y: point.bytes })));
  const fittedGrowth = (line.slope * (window.endSeconds - window.warmUpSeconds)) / line.valueAt(window.warmUpSeconds);
  const limitBytes = SOAK_LIMITS.rssBytes[process] ?? Number.NaN;
  return {
    process,
    atWarmUpEnd,
    atEnd,
    max,
    growth: atEnd / atWarmUpEnd - 1,
    slopePerMinute: line.slope * 60,
    fittedGrowth,
    limitBytes,
    maxPass: max < limitBytes,
    growthPass: fittedGrowth < SOAK_LIMITS.growth,
  };
}

export const soakPassed = (reports: readonly MemoryReport[]) => reports.length > 0 && reports.every((report) => report.maxPass && report.growthPass);

const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(1)} MB` : "–");
const percent = (fraction: number) => (Number.isFinite(fraction) ? `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)} %` : "–");
const perMinute = (bytes: number) => (Number.isFinite(bytes) ? `${bytes >= 0 ? "+" : ""}${(bytes / 1e6).toFixed(2)} MB/min` : "–");
const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");

/** The soak's table, as Markdown (it reads as plain text on a terminal too): one line per check. */
export function formatMemoryTable(reports: readonly MemoryReport[]): string {
  const header = ["process", "check", "at warm-up end", "at end", "max", "end vs warm-up end", "slope after warm-up", "growth of the fitted line", "limit", "result"];
  const lines = reports.flatMap((report) => [
    [report.process, "RSS", mb(report.atWarmUpEnd), mb(report.atEnd), mb(report.max), "", "", "", `max < ${mb(report.limitBytes)}`, verdict(report.maxPass)],
    [report.process, "growth", "", "", "", percent(report.growth), perMinute(report.slopePerMinute), percent(report.fittedGrowth), `fitted < ${percent(SOAK_LIMITS.growth).slice(1)}`, verdict(report.growthPass)],
  ]);
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
