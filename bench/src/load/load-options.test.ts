import { LOAD_HELP, LoadUsageError, parseLoadArguments, scaleStatement, type LoadOptions } from "./load-options";
import { LOAD_SCENARIOS, SCENARIO_NAMES } from "./load-scenarios";

const runOptions = (argv: string[]): LoadOptions => {
  const command = parseLoadArguments(argv);
  if (command.kind !== "run") throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
};

describe("parseLoadArguments", () => {
  it("defaults to signup-surge at the production scale", () => {
    const options = runOptions([]);
    expect(options).toMatchObject({ rate: 100, durationSeconds: 120, drainTimeoutSeconds: 300, keepData: false });
    expect(options.scenario.name).toBe("signup-surge");
    expect(scaleStatement(options)).toMatch(/^production scale: --rate 100 /);
  });

  it("reads a scenario and the flags in both spellings, and states the reduced scale", () => {
    const options = runOptions(["backlog-drain", "--rate", "25", "--duration=20", "--drain-timeout", "600", "--keep-data"]);
    expect(options).toMatchObject({ rate: 25, durationSeconds: 20, drainTimeoutSeconds: 600, keepData: true });
    expect(options.scenario.name).toBe("backlog-drain");
    expect(scaleStatement(options)).toBe(
      "reduced scale: --rate 25 (journeys a second (4 events each)) --duration 20; production scale is --rate 250 --duration 100",
    );
  });

  it("takes each scenario's own defaults", () => {
    for (const name of SCENARIO_NAMES) {
      const scenario = LOAD_SCENARIOS[name];
      expect(runOptions([name])).toMatchObject({
        rate: scenario.defaultRate,
        durationSeconds: scenario.defaultDurationSeconds,
        drainTimeoutSeconds: scenario.defaultDrainTimeoutSeconds,
      });
    }
    expect(runOptions(["backlog-drain"]).drainTimeoutSeconds).toBe(1_800);
  });

  it("answers --help with the text that lists every scenario", () => {
    expect(parseLoadArguments(["connection-stress", "--help"])).toEqual({ kind: "help", text: LOAD_HELP });
    expect(parseLoadArguments(["-h"]).kind).toBe("help");
    for (const name of SCENARIO_NAMES) expect(LOAD_HELP).toContain(name);
  });

  it("rejects unknown scenarios and options, two scenarios, and values out of range", () => {
    expect(() => parseLoadArguments(["signup"])).toThrow(LoadUsageError);
    expect(() => parseLoadArguments(["--fast"])).toThrow("unknown option: --fast");
    expect(() => parseLoadArguments(["receiver-burst", "backlog-drain"])).toThrow("one scenario only");
    expect(() => parseLoadArguments(["--rate", "0"])).toThrow("--rate must be a whole number from 1 to 1000");
    expect(() => parseLoadArguments(["duplicate-storm", "--rate", "201"])).toThrow("--rate must be a whole number from 1 to 200");
    expect(() => parseLoadArguments(["--duration"])).toThrow("--duration needs a value");
    expect(() => parseLoadArguments(["--duration", "1.5"])).toThrow(LoadUsageError);
  });
});

describe("scenario phases", () => {
  it("scale with --rate and --duration", () => {
    expect(LOAD_SCENARIOS["signup-surge"].phases(10, 20)).toEqual([
      { name: "ramp", duration: 10, arrivalRate: 1, rampTo: 10 },
      { name: "peak", duration: 10, arrivalRate: 10 },
    ]);
    expect(LOAD_SCENARIOS["receiver-burst"].phases(2000, 60).map((phase) => [phase.arrivalRate, phase.rampTo])).toEqual([
      [100, undefined],
      [100, 2000],
      [2000, undefined],
    ]);
    expect(LOAD_SCENARIOS["connection-stress"].phases(200, 60)).toEqual([{ name: "arrive", duration: 10, arrivalCount: 200 }]);
    const backlog = LOAD_SCENARIOS["backlog-drain"];
    expect(backlog.defaultRate * backlog.defaultDurationSeconds * 4).toBe(100_000);
  });
});
