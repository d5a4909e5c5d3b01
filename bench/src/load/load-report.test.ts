import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ArtilleryStats } from "./artillery-run";
import type { DatabaseVerdict } from "./database-check";
import { drainRates, writeLoadReport, type LoadReport } from "./load-report";

const load: ArtilleryStats = {
  requests: 400,
  codes: { "202": 320, "200": 80 },
  errors: {},
  webhooksNotAccepted: 0,
  dashboardServerErrors: { entitlements: 2 },
  plansNotVisible: 0,
  responseTime: { p50: 3, p95: 12, p99: 30, max: 55 },
  planVisible: { p50: 180, p95: 420, p99: 700, max: 900, count: 80 },
  timeline: [
    { atSeconds: 0, p50: 3, p95: 10, p99: 20, requestsPerSecond: 20 },
    { atSeconds: 10, p50: 4, p95: 14, p99: 40, requestsPerSecond: 20 },
  ],
  startedAt: 1_800_000_000_000,
};

const database: DatabaseVerdict = {
  ok: true,
  acceptedDeliveries: 320,
  distinctEvents: 320,
  ledgerRows: 320,
  statuses: { completed: 320 },
  missing: 0,
  duplicated: 0,
  notApplied: 0,
  effects: [{ name: "users", expected: 80, actual: 80 }],
  problems: [],
};

function report(overrides: Partial<LoadReport> = {}): LoadReport {
  return {
    runId: "lt2611271500001a2b",
    scenario: "backlog-drain",
    summary: "sign-up journeys accepted with the worker stopped",
    scale: "reduced scale: --rate 20 --duration 4",
    command: "bash scripts/load.sh backlog-drain --rate 20 --duration 4",
    startedAt: new Date("2026-11-27T15:00:00Z"),
    machine: ["CPU: test, 2 cores"],
    baseline: undefined,
    load,
    loadStartedAt: load.startedAt - 2_000,
    queue: [
      { atSeconds: 0, depth: 0, oldestWaitingSeconds: 0 },
      { atSeconds: 4, depth: 320, oldestWaitingSeconds: 4 },
      { atSeconds: 6, depth: 300, oldestWaitingSeconds: 5 },
      { atSeconds: 9, depth: 200, oldestWaitingSeconds: 3 },
      { atSeconds: 12, depth: 0, oldestWaitingSeconds: 0 },
    ],
    workerStartedAtSeconds: 4,
    database,
    pools: [],
    problems: [],
    ...overrides,
  };
}

describe("writeLoadReport", () => {
  it("writes the summary and SVG charts of latency, queue depth and drain rate", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "load-report-"));
    const written = writeLoadReport(dir, report());
    expect(written.chartFiles.map((file) => path.basename(file))).toEqual(["latency.svg", "queue-depth.svg", "drain-rate.svg"]);
    for (const file of written.chartFiles) {
      const svg = readFileSync(file, "utf8");
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain("<polyline");
    }
    // artillery's first period began 2 s after the sampling: its line starts at x = 2 s of 20
    expect(readFileSync(written.chartFiles[0]!, "utf8")).toMatch(/<polyline [^>]*points="126\.0,/);
    const summary = readFileSync(path.join(dir, "summary.md"), "utf8");
    expect(summary).toBe(written.markdown);
    expect(summary).toContain("**PASSED** — reduced scale: --rate 20 --duration 4.");
    expect(summary).toContain("| response time, ours | 3 ms | 12 ms | 30 ms | 55 ms |");
    expect(summary).toContain("| first webhook → plan visible (80 journeys) | 180 ms | 420 ms | 700 ms | 900 ms |");
    expect(summary).toContain("| users | 80 | 80 |");
    expect(summary).toContain("webhooks not acknowledged: 0; dashboard 5xx by route: entitlements: 2.");
    expect(summary).toContain("Worker started at 4 s on 320 jobs; drained in 8 s (40 events/s on average, peak 50 jobs/s over 5 s).");
    expect(summary).toContain("![Queue depth and oldest waiting job over time](queue-depth.svg)");
  });

  it("states a failure and its problems, and draws no drain chart when the worker ran throughout", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "load-report-"));
    const written = writeLoadReport(dir, report({ workerStartedAtSeconds: undefined, problems: ["3 answers 503"] }));
    expect(written.markdown).toContain("**FAILED**");
    expect(written.markdown).toContain("## Problems\n\n- 3 answers 503");
    expect(existsSync(path.join(dir, "drain-rate.svg"))).toBe(false);
    expect(written.chartFiles).toHaveLength(2);
  });
});

describe("drainRates", () => {
  it("is the fall of the queue depth per second over the 5 s before each sample, from the worker's start", () => {
    expect(drainRates(report().queue, 4)).toEqual([
      { x: 9, y: 24 },
      { x: 12, y: 50 },
    ]);
  });
});
