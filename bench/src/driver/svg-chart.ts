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
