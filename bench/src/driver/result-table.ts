import type { Variant } from "./bench-apps";
import { median, noise } from "./latency-stats";
import type { Measurement } from "./measurement";

const CPU_ORDER = ["receiver", "worker", "redis", "postgres"];

/** Medians over the repeats of one scenario and variant. */
export interface ResultRow {
  scenario: string;
  variant: Variant;
  unit: "req" | "event";
  repeats: number;
  throughput: number;
  p50: number;
  p99: number;
  p999: number;
  cpuPerUnit: Record<string, number>;
  cpuTotal: number;
  /** max/min over the repeats. */
  throughputNoise: number;
  p99Noise: number;
  cpuNoise: number;
  errors: number;
  /** E2E: flat in most repeats. */
  flat?: boolean;
  verified: boolean;
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0);

/** Groups measurements by scenario and variant (first-seen order) and takes medians and noise. */
export function aggregate(measurements: readonly Measurement[]): ResultRow[] {
  const groups = new Map<string, Measurement[]>();
  for (const measurement of measurements) {
    const key = `${measurement.scenario}\u0000${measurement.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), measurement]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0]!;
    const labels = [...new Set(runs.flatMap((run) => Object.keys(run.cpuPerUnit)))];
    const flats = runs.filter((run) => run.flat !== undefined);
    return {
      scenario: first.scenario,
      variant: first.variant,
      unit: first.unit,
      repeats: runs.length,
      throughput: median(runs.map((run) => run.throughput)),
      p50: median(runs.map((run) => run.latency?.p50 ?? Number.NaN)),
      p99: median(runs.map((run) => run.latency?.p99 ?? Number.NaN)),
      p999: median(runs.map((run) => run.latency?.p999 ?? Number.NaN)),
      cpuPerUnit: Object.fromEntries(labels.map((label) => [label, median(runs.map((run) => run.cpuPerUnit[label] ?? Number.NaN))])),
      cpuTotal: median(runs.map((run) => sum(run.cpuPerUnit))),
      throughputNoise: noise(runs.map((run) => run.throughput)),
      p99Noise: noise(runs.map((run) => run.latency?.p99 ?? Number.NaN)),
      cpuNoise: noise(runs.map((run) => sum(run.cpuPerUnit))),
      errors: runs.reduce((total, run) => total + run.errors, 0),
      flat: flats.length > 0 ? flats.filter((run) => run.flat).length * 2 > flats.length : undefined,
      verified: runs.every((run) => run.verified),
    };
  });
}

const fixed = (value: number, digits: number) =>
  Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (value: number) => (Number.isNaN(value) || !Number.isFinite(value) ? "–" : `${value.toFixed(2)}×`);

/** ours ÷ bare of the same scenario, or NaN when one side is missing. */
export function oursOverBare(rows: readonly ResultRow[], row: ResultRow, pick: (row: ResultRow) => number): number {
  const bare = rows.find((other) => other.scenario === row.scenario && other.variant === "bare");
  const ours = rows.find((other) => other.scenario === row.scenario && other.variant === "ours");
  return bare && ours ? pick(ours) / pick(bare) : Number.NaN;
}

/** The one results table, as Markdown (it reads as plain text on a terminal too). */
export function formatTable(rows: readonly ResultRow[]): string {
  const present = new Set(rows.flatMap((row) => Object.keys(row.cpuPerUnit)));
  const labels = CPU_ORDER.filter((label) => present.has(label));
  const header = [
    "scenario", "variant", "throughput /s", "p50 ms", "p99 ms", "p99.9 ms",
    ...labels.map((label) => `CPU µs ${label}`), "CPU µs total",
    "ours/bare throughput", "ours/bare CPU", "noise thr / p99 / CPU", "non-2xx", "flat",
  ];
  const lines = rows.map((row) => [
    row.scenario,
    row.variant,
    `${fixed(row.throughput, 0)} ${row.unit}`,
    fixed(row.p50, 2),
    fixed(row.p99, 2),
    fixed(row.p999, 2),
    ...labels.map((label) => fixed(row.cpuPerUnit[label] ?? Number.NaN, 0)),
    fixed(row.cpuTotal, 0),
    row.variant === "ours" ? ratio(oursOverBare(rows, row, (r) => r.throughput)) : "",
    row.variant === "ours" ? ratio(oursOverBare(rows, row, (r) => r.cpuTotal)) : "",
    [row.throughputNoise, row.p99Noise, row.cpuNoise].map(ratio).join(" / "),
    String(row.errors),
    row.flat === undefined ? "" : row.flat ? "yes" : "no",
  ]);
  return [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** E2E: the highest offered rate at which each variant's queue depth stayed flat. */
export function highestFlatRates(rows: readonly ResultRow[]): Record<Variant, number | undefined> {
  const best = (variant: Variant) =>
    rows
      .filter((row) => row.variant === variant && row.flat)
      .map((row) => Number(/(\d+)\/s offered/.exec(row.scenario)?.[1]))
      .reduce<number | undefined>((max, rate) => (max === undefined || rate > max ? rate : max), undefined);
  return { bare: best("bare"), ours: best("ours") };
}
