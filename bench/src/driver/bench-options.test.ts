import { BenchUsageError, DEFAULT_BENCH_OPTIONS, parseBenchOptions, reducedScale } from "./bench-options";

describe("parseBenchOptions", () => {
  it("defaults to the issue's workload", () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(reducedScale(parseBenchOptions(["all"]))).toEqual([]);
  });

  it("reads the mode and flags in both spellings", () => {
    const options = parseBenchOptions(["worker", "--repeat", "1", "--events=2000", "--subscriptions", "500", "--e2e-rates", "1000,500", "--cpu-prof"]);
    expect(options).toMatchObject({ mode: "worker", repeat: 1, events: 2000, e2eRates: [500, 1000], cpuProf: true });
    expect(reducedScale(options)).toEqual(["repeat 1", "e2eRates [500,1000]", "events 2000", "subscriptions 500"]);
  });

  it("rejects unknown arguments and values out of range", () => {
    expect(() => parseBenchOptions(["--fast"])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(["--repeat", "0"])).toThrow("--repeat must be a whole number from 1 to 20");
    expect(() => parseBenchOptions(["--events", "10", "--subscriptions", "20"])).toThrow(BenchUsageError);
  });
});
