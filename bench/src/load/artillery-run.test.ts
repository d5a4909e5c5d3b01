import { artilleryProblems, artilleryStats, type ArtilleryReport } from "./artillery-run";

/** The shape of artillery 2's --output JSON, trimmed to what is read. */
const REPORT: ArtilleryReport = {
  aggregate: {
    counters: {
      "http.requests": 120,
      "http.codes.200": 110,
      "http.codes.503": 4,
      "errors.ECONNREFUSED": 6,
      "webhooks.not_accepted": 4,
      "dashboard.5xx.entitlements": 0,
      "journey.plan_not_visible": 1,
    },
    summaries: {
      "http.response_time": { min: 1, max: 90, count: 114, p50: 4, median: 4, p95: 30, p99: 80 },
      "journey.plan_visible_ms": { min: 100, max: 900, count: 9, p50: 200, median: 200, p95: 800, p99: 900 },
    },
    firstCounterAt: 1_800_000_000_500,
  },
  intermediate: [
    { counters: { "http.requests": 60 }, summaries: { "http.response_time": { min: 1, max: 90, count: 60, p50: 5, median: 5, p95: 40, p99: 80 } }, period: "1800000010000" },
    { counters: { "http.requests": 60 }, summaries: { "http.response_time": { min: 1, max: 50, count: 54, p50: 3, median: 3, p95: 20, p99: 50 } }, period: "1800000000000" },
    { counters: {}, summaries: {}, period: "1800000020000" },
  ],
};

describe("artilleryStats", () => {
  it("reads counts, percentiles, the processor's metrics and the per-period timeline", () => {
    const stats = artilleryStats(REPORT);
    expect(stats).toMatchObject({
      requests: 120,
      codes: { "200": 110, "503": 4 },
      errors: { ECONNREFUSED: 6 },
      webhooksNotAccepted: 4,
      plansNotVisible: 1,
      responseTime: { p50: 4, p95: 30, p99: 80, max: 90 },
      planVisible: { p50: 200, p95: 800, p99: 900, max: 900, count: 9 },
      startedAt: 1_800_000_000_000,
    });
    expect(stats.timeline).toEqual([
      { atSeconds: 0, p50: 3, p95: 20, p99: 50, requestsPerSecond: 6 },
      { atSeconds: 10, p50: 5, p95: 40, p99: 80, requestsPerSecond: 6 },
    ]);
  });
});

describe("artilleryProblems", () => {
  it("fails requests without an answer, unacknowledged webhooks and plans never seen; a 5xx only with the pool check", () => {
    const stats = artilleryStats(REPORT);
    const common = ["6 requests failed without an answer (ECONNREFUSED)", "4 webhook deliveries not acknowledged with a 2xx"];
    expect(artilleryProblems(stats, { planVisibleCheck: true, poolCheck: false })).toEqual([...common, "1 journeys never saw their plan"]);
    expect(artilleryProblems(stats, { planVisibleCheck: false, poolCheck: true })).toEqual([
      "6 requests failed without an answer (ECONNREFUSED)",
      "4 answers 503",
      "4 webhook deliveries not acknowledged with a 2xx",
    ]);
  });

  it("finds nothing wrong in a clean run", () => {
    const clean = artilleryStats({ aggregate: { counters: { "http.requests": 10, "http.codes.202": 10 }, summaries: {} } });
    expect(artilleryProblems(clean, { planVisibleCheck: true, poolCheck: true })).toEqual([]);
  });
});
