import { median, noise, percentile, summarizeLatencies } from "./latency-stats";

describe("latency statistics", () => {
  it("takes nearest-rank percentiles of sorted values", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(500);
    expect(percentile(values, 0.99)).toBe(990);
    expect(percentile(values, 0.999)).toBe(999);
    expect(percentile([7], 0.999)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("sorts numerically before summarizing", () => {
    expect(summarizeLatencies([10, 2, 3, 1])).toEqual({ count: 4, p50: 2, p99: 10, p999: 10 });
  });

  it("takes medians and max/min noise over repeats, ignoring missing values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(noise([100, 150, 120])).toBe(1.5);
    expect(noise([100])).toBeNaN();
  });
});
