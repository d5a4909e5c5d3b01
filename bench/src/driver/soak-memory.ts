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
  /** atEnd / atWarmUpEnd − 1. */
  growth: number;
  /** Least-squares slope over the samples after the warm-up, bytes per minute. */
  slopePerMinute: number;
  limitBytes: number;
  maxPass: boolean;
  growthPass: boolean;
}

/** Least-squares slope of y over x; NaN with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  return variance > 0 ? covariance / variance : Number.NaN;
}

const medianBytesIn = (points: readonly RssPoint[], from: number, to: number) =>
  median(points.filter((point) => point.atSeconds > from && point.atSeconds <= to).map((point) => point.bytes));

/**
 * A process's RSS over the soak against its limit (every sample, warm-up included, below it) and
 * the growth limit (the end's median at most 10 % above the warm-up end's). A window without
 * samples gives NaN, which fails.
 */
export function memoryReport(process: string, points: readonly RssPoint[], window: SoakWindow): MemoryReport {
  const atWarmUpEnd = medianBytesIn(points, window.warmUpSeconds - SOAK_WINDOW_SECONDS, window.warmUpSeconds);
  const atEnd = medianBytesIn(points, window.endSeconds - SOAK_WINDOW_SECONDS, window.endSeconds);
  const max = points.length > 0 ? Math.max(...points.map((point) => point.bytes)) : Number.NaN;
  const growth = atEnd / atWarmUpEnd - 1;
  const after = points.filter((point) => point.atSeconds >= window.warmUpSeconds && point.atSeconds <= window.endSeconds);
  const slopePerMinute = leastSquaresSlope(after.map((point) => ({ x: point.atSeconds / 60, y: point.bytes })));
  const limitBytes = SOAK_LIMITS.rssBytes[process] ?? Number.NaN;
  return { process, atWarmUpEnd, atEnd, max, growth, slopePerMinute, limitBytes, maxPass: max < limitBytes, growthPass: growth < SOAK_LIMITS.growth };
}

export const soakPassed = (reports: readonly MemoryReport[]) => reports.length > 0 && reports.every((report) => report.maxPass && report.growthPass);

const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(1)} MB` : "–");
const percent = (fraction: number) => (Number.isFinite(fraction) ? `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)} %` : "–");
const perMinute = (bytes: number) => (Number.isFinite(bytes) ? `${bytes >= 0 ? "+" : ""}${(bytes / 1e6).toFixed(2)} MB/min` : "–");
const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");

/** The soak's table, as Markdown (it reads as plain text on a terminal too): one line per check. */
export function formatMemoryTable(reports: readonly MemoryReport[]): string {
  const header = ["process", "check", "at warm-up end", "at end", "max", "growth after warm-up", "slope after warm-up", "limit", "result"];
  const lines = reports.flatMap((report) => [
    [report.process, "RSS", mb(report.atWarmUpEnd), mb(report.atEnd), mb(report.max), "", "", `max < ${mb(report.limitBytes)}`, verdict(report.maxPass)],
    [report.process, "growth", "", "", "", percent(report.growth), perMinute(report.slopePerMinute), `< ${percent(SOAK_LIMITS.growth).slice(1)}`, verdict(report.growthPass)],
  ]);
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
