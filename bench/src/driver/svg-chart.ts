import type { ResultRow } from "./result-table";

const COLORS = { bare: "#9aa5b1", ours: "#2f6fdf" } as const;
const LABEL_WIDTH = 330;
const BAR_AREA = 360;
const BAR = 12;
const ROW = 2 * BAR + 10;

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One panel: a pair of horizontal bars (bare, ours) per scenario, scaled to the panel's maximum. */
function panel(title: string, rows: readonly ResultRow[], value: (row: ResultRow) => number, unit: (row: ResultRow) => string, top: number): { svg: string; height: number } {
  const scenarios = [...new Set(rows.map((row) => row.scenario))];
  const max = Math.max(1, ...rows.map(value).filter((v) => Number.isFinite(v)));
  const parts = [`<text x="0" y="${top + 14}" font-weight="bold">${escapeXml(title)}</text>`];
  scenarios.forEach((scenario, index) => {
    const y = top + 26 + index * ROW;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + BAR + 4}" text-anchor="end">${escapeXml(scenario)}</text>`);
    (["bare", "ours"] as const).forEach((variant, offset) => {
      const row = rows.find((candidate) => candidate.scenario === scenario && candidate.variant === variant);
      const v = row ? value(row) : Number.NaN;
      if (!row || !Number.isFinite(v)) return;
      const width = Math.max(1, (v / max) * BAR_AREA);
      const barY = y + offset * BAR;
      parts.push(`<rect x="${LABEL_WIDTH}" y="${barY}" width="${width.toFixed(1)}" height="${BAR - 1}" fill="${COLORS[variant]}"/>`);
      parts.push(`<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${barY + BAR - 2}">${Math.round(v).toLocaleString("en-US")} ${escapeXml(unit(row))}</text>`);
    });
  });
  return { svg: parts.join("\n"), height: 26 + scenarios.length * ROW + 10 };
}

/** The chart of docs/benchmarks.md: throughput and total CPU per request/event, bare vs ours. */
export function renderChart(rows: readonly ResultRow[], caption: string): string {
  const throughput = panel("Throughput (median)", rows, (row) => row.throughput, (row) => `${row.unit}/s`, 24);
  const cpu = panel("CPU per request / event, all processes (median)", rows, (row) => row.cpuTotal, () => "µs", 24 + throughput.height);
  const height = 24 + throughput.height + cpu.height + 24;
  const width = LABEL_WIDTH + BAR_AREA + 130;
  const legendY = height - 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="0" y="12">${escapeXml(caption)}</text>`,
    throughput.svg,
    cpu.svg,
    `<rect x="0" y="${legendY - 9}" width="10" height="10" fill="${COLORS.bare}"/><text x="14" y="${legendY}">bare baseline</text>`,
    `<rect x="110" y="${legendY - 9}" width="10" height="10" fill="${COLORS.ours}"/><text x="124" y="${legendY}">ours</text>`,
    "</svg>",
    "",
  ].join("\n");
}

/** One line of a time-series chart: its name and points (x in seconds since the run started). */
export interface ChartSeries {
  name: string;
  points: readonly { x: number; y: number }[];
}

const SERIES_COLORS = ["#2f6fdf", "#d9822b", "#2e9d5b", "#c23b3b", "#7a4fc9", "#9aa5b1"] as const;
const PLOT = { left: 70, top: 30, width: 560, height: 220 } as const;

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= max)!;
}

/** A line chart over time (the load test's latency and queue depth), one colour per series. */
export function renderLineChart(title: string, yLabel: string, series: readonly ChartSeries[]): string {
  const points = series.flatMap((line) => line.points);
  const xMax = niceMax(Math.max(0, ...points.map((point) => point.x)));
  const yMax = niceMax(Math.max(0, ...points.map((point) => point.y)));
  const px = (x: number) => (PLOT.left + (x / xMax) * PLOT.width).toFixed(1);
  const py = (y: number) => (PLOT.top + PLOT.height - (y / yMax) * PLOT.height).toFixed(1);
  const bottom = PLOT.top + PLOT.height;
  const parts = [
    `<text x="0" y="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${PLOT.left}" y1="${bottom}" x2="${PLOT.left + PLOT.width}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${bottom}" stroke="#333"/>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const y = (yMax * tick) / 4;
    const x = (xMax * tick) / 4;
    parts.push(`<line x1="${PLOT.left}" y1="${py(y)}" x2="${PLOT.left + PLOT.width}" y2="${py(y)}" stroke="#e4e7eb"/>`);
    parts.push(`<text x="${PLOT.left - 6}" y="${Number(py(y)) + 4}" text-anchor="end">${Number(y.toPrecision(3)).toLocaleString("en-US")}</text>`);
    parts.push(`<text x="${px(x)}" y="${bottom + 16}" text-anchor="middle">${Number(x.toPrecision(3))}</text>`);
  }
  parts.push(`<text x="${PLOT.left + PLOT.width / 2}" y="${bottom + 32}" text-anchor="middle">seconds since the load started</text>`);
  parts.push(`<text x="12" y="${PLOT.top + PLOT.height / 2}" text-anchor="middle" transform="rotate(-90 12 ${PLOT.top + PLOT.height / 2})">${escapeXml(yLabel)}</text>`);
  series.forEach((line, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    const path = line.points.map((point) => `${px(point.x)},${py(point.y)}`).join(" ");
    if (line.points.length > 0) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${path}"/>`);
    const legendX = PLOT.left + index * 150;
    parts.push(`<rect x="${legendX}" y="${bottom + 42}" width="10" height="10" fill="${color}"/><text x="${legendX + 14}" y="${bottom + 51}">${escapeXml(line.name)}</text>`);
  });
  const width = PLOT.left + PLOT.width + 20;
  const height = bottom + 62;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
