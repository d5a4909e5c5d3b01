import { BenchUsageError, DEFAULT_BENCH_OPTIONS, parseBenchOptions, reducedScale, SOAK_DEFAULTS } from "./bench-options";

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

describe("parseBenchOptions: the soak", () => {
  it("has its own defaults: 300 s with 60 s of warm-up, the rate from the probe; full scale", () => {
    const options = parseBenchOptions(["soak"]);
    expect(options).toMatchObject({ mode: "soak", durationSeconds: SOAK_DEFAULTS.durationSeconds, warmUpSeconds: SOAK_DEFAULTS.warmUpSeconds });
    expect(options.soakRate).toBeUndefined();
    expect(reducedScale(options)).toEqual([]);
  });

  it("takes --rate, --duration and the warm-up in both spellings, before or after the mode", () => {
    expect(parseBenchOptions(["--rate", "250", "soak", "--duration=120", "--warmup", "30"])).toMatchObject({ soakRate: 250, durationSeconds: 120, warmUpSeconds: 30 });
    const options = parseBenchOptions(["soak", "--warm-up", "90", "--duration", "600"]);
    expect(options).toMatchObject({ warmUpSeconds: 90, durationSeconds: 600 });
    expect(reducedScale(options)).toEqual(["durationSeconds 600", "warmUpSeconds 90"]);
  });

  it("rejects --rate elsewhere, a warm-up as long as the soak, and the soak's long values in other scenarios", () => {
    expect(() => parseBenchOptions(["e2e", "--rate", "100"])).toThrow("--rate is an option of the soak");
    expect(() => parseBenchOptions(["soak", "--duration", "60"])).toThrow("--warm-up must be shorter than --duration");
    expect(() => parseBenchOptions(["soak", "--rate", "0"])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(["receiver", "--warm-up", "61"])).toThrow("--warm-up must be a whole number from 0 to 60");
    expect(() => parseBenchOptions(["e2e", "--duration", "601"])).toThrow("--duration must be a whole number from 1 to 600");
  });
});
