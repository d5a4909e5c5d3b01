import { formatMemoryTable, leastSquaresLine, memoryReport, soakPassed, type RssPoint } from "./soak-memory";

const MB = 1e6;
/** One reading a second for `seconds` seconds, `mb(t)` MB at second t. */
const series = (seconds: number, mb: (t: number) => number): RssPoint[] =>
  Array.from({ length: seconds + 1 }, (_, t) => ({ atSeconds: t, bytes: mb(t) * MB }));
const window = { warmUpSeconds: 60, endSeconds: 300 };

describe("leastSquaresLine", () => {
  it("finds the line through exact points and the best one through noisy points", () => {
    const exact = leastSquaresLine([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]);
    expect([exact.slope, exact.valueAt(10)]).toEqual([2, 21]);
    const noisy = leastSquaresLine([{ x: 0, y: 1 }, { x: 1, y: 0 }, { x: 2, y: 3 }, { x: 3, y: 2 }]);
    expect(noisy.slope).toBeCloseTo(0.6);
    expect(noisy.valueAt(0)).toBeCloseTo(0.6);
  });

  it("has none with fewer than two distinct x", () => {
    expect(leastSquaresLine([{ x: 1, y: 1 }]).slope).toBeNaN();
    expect(leastSquaresLine([{ x: 1, y: 1 }, { x: 1, y: 2 }]).valueAt(1)).toBeNaN();
    expect(leastSquaresLine([]).slope).toBeNaN();
  });
});

describe("memoryReport", () => {
  it("passes a flat receiver: medians of the windows, the max, no growth, no slope", () => {
    const report = memoryReport("receiver", series(300, (t) => (t < 30 ? 60 : 100)), window);
    expect(report).toMatchObject({ atWarmUpEnd: 100 * MB, atEnd: 100 * MB, max: 100 * MB, growth: 0, slopePerMinute: 0, fittedGrowth: 0, limitBytes: 200 * MB });
    expect([report.maxPass, report.growthPass]).toEqual([true, true]);
  });

  it("takes medians, so one spike at the end does not decide the growth (but counts for the max)", () => {
    const report = memoryReport("worker", series(300, (t) => (t === 300 ? 290 : 150)), window);
    expect(report.atEnd).toBe(150 * MB);
    expect(report.growth).toBe(0);
    expect(report.max).toBe(290 * MB);
    expect([report.maxPass, report.growthPass]).toEqual([true, true]);
  });

  it("fails a leak: the fitted line rises 10 % or more after the warm-up", () => {
    const report = memoryReport("worker", series(300, (t) => (t <= 60 ? 100 : 100 + (t - 60) / 20)), window);
    expect(report.growth).toBeCloseTo(0.11775, 6);
    expect(report.slopePerMinute / MB).toBeCloseTo(3, 6);
    expect(report.fittedGrowth).toBeCloseTo(0.12, 6);
    expect([report.maxPass, report.growthPass]).toEqual([true, false]);
    expect(memoryReport("worker", series(300, (t) => (t <= 60 ? 100 : 100 + (t - 60) / 25)), window).growthPass).toBe(true);
  });

  it("passes the heap's sawtooth, whose windows differ by far more than 10 % with no leak", () => {
    const report = memoryReport("receiver", series(300, (t) => 120 + (t % 50)), window);
    expect(report.growth).toBeCloseTo(164.5 / 125.5 - 1, 6);
    expect(report.fittedGrowth).toBeCloseTo(0.0345, 3);
    expect([report.maxPass, report.growthPass]).toEqual([true, true]);
  });

  it("fails a process over its limit at any reading, warm-up included", () => {
    const report = memoryReport("receiver", series(300, (t) => (t === 10 ? 200 : 80)), window);
    expect([report.maxPass, report.growthPass]).toEqual([false, true]);
    expect(memoryReport("worker", series(300, () => 299.9), window).maxPass).toBe(true);
  });

  it("fails what it cannot measure: no readings, or a process without a limit", () => {
    const empty = memoryReport("worker", [], window);
    expect([empty.maxPass, empty.growthPass]).toEqual([false, false]);
    expect(memoryReport("dashboard", series(300, () => 50), window).maxPass).toBe(false);
  });
});

describe("soakPassed and formatMemoryTable", () => {
  const ok = memoryReport("receiver", series(300, () => 90), window);
  const leaking = memoryReport("worker", series(300, (t) => 100 + t), window);

  it("passes only when every check of every process passed", () => {
    expect(soakPassed([ok])).toBe(true);
    expect(soakPassed([ok, leaking])).toBe(false);
    expect(soakPassed([])).toBe(false);
  });

  it("prints one line per check with its limit and verdict", () => {
    const lines = formatMemoryTable([ok, leaking]).split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[2]).toBe("| receiver | RSS | 90.0 MB | 90.0 MB | 90.0 MB |  |  |  | max < 200.0 MB | PASS |");
    expect(lines[3]).toBe("| receiver | growth |  |  |  | +0.0 % | +0.00 MB/min | +0.0 % | fitted < 10.0 % | PASS |");
    expect(lines[4]).toContain("| worker | RSS | 155.5 MB | 395.5 MB | 400.0 MB |");
    expect(lines[4]).toMatch(/max < 300.0 MB \| FAIL \|$/);
    expect(lines[5]).toContain("| +154.3 % | +60.00 MB/min | +150.0 % | fitted < 10.0 % | FAIL |");
  });
});
