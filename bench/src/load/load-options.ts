import { isScenarioName, LOAD_SCENARIOS, SCENARIO_NAMES, type LoadScenario } from "./load-scenarios";

export interface LoadOptions {
  scenario: LoadScenario;
  rate: number;
  durationSeconds: number;
  /** How long the worker may take, after the load, to settle every accepted event. */
  drainTimeoutSeconds: number;
  /** Keep the run's database and queue keys. */
  keepData: boolean;
}

export type LoadCommand = { kind: "help"; text: string } | { kind: "run"; options: LoadOptions };

export class LoadUsageError extends Error {
  override readonly name = "LoadUsageError";
}

export const LOAD_HELP = `Usage: bash scripts/load.sh [scenario] [--rate N] [--duration S] [--drain-timeout S] [--keep-data] [--help]

Load tests that match production, with artillery (loadtest/scenarios/<scenario>.yml). Each run:
the same bootstrap as scripts/dev.sh; the built receiver, worker and dashboard on free 127.0.0.1
ports, a fresh migrated database and a queue prefix of the run's own; deliveries signed in the
artillery processor by the official stripe and svix libraries; queue depth sampled every second
from the dashboard's /metrics; at the end a database check (every accepted event applied exactly
once, counts printed), artillery's p50/p95/p99 and errors, and a report with SVG charts in
loadtest/reports/<run id>/.

Scenarios (default signup-surge; defaults are the production scale):
${SCENARIO_NAMES.map((name) => {
  const scenario = LOAD_SCENARIOS[name];
  return `  ${name.padEnd(18)} ${scenario.summary}\n  ${"".padEnd(18)} --rate: ${scenario.rateUnit} [${scenario.defaultRate}]; --duration [${scenario.defaultDurationSeconds}]`;
}).join("\n")}

Options:
  --rate N            the scenario's rate (see above); scale down here, never in the file
  --duration S        seconds of load (connection-stress: how long each user loops)
  --drain-timeout S   how long the worker may take, after the load, to settle every accepted
                      event  [300; backlog-drain 1800]
  --keep-data         keep the run's database and Redis keys (they are removed by default)
  -h, --help          this text

REDIS_URL and DATABASE_URL select the servers (the run creates and drops its own database on the
DATABASE_URL server); a redis+cluster:// REDIS_URL is passed to every app as is. Exit code: 0 when
every check passed, 1 when one failed, 2 on a usage error.`;

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new LoadUsageError(`${flag} must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

/** Parses the arguments of scripts/load.sh. Rate and duration default to the scenario's production scale. */
export function parseLoadArguments(argv: readonly string[]): LoadCommand {
  let scenarioName: string | undefined;
  let rate: string | undefined;
  let duration: string | undefined;
  let drainTimeoutSeconds: number | undefined;
  let keepData = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new LoadUsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return { kind: "help", text: LOAD_HELP };
      case "--rate": rate = value(); break;
      case "--duration": duration = value(); break;
      case "--drain-timeout": drainTimeoutSeconds = wholeNumber(flag, value(), 1, 7_200); break;
      case "--keep-data": keepData = true; break;
      default:
        if (flag.startsWith("-")) throw new LoadUsageError(`unknown option: ${arg}`);
        if (scenarioName !== undefined) throw new LoadUsageError(`one scenario only (got ${scenarioName} and ${arg})`);
        if (!isScenarioName(flag)) throw new LoadUsageError(`unknown scenario ${arg}; one of ${SCENARIO_NAMES.join(", ")}`);
        scenarioName = flag;
    }
  }
  const scenario = LOAD_SCENARIOS[(scenarioName as keyof typeof LOAD_SCENARIOS | undefined) ?? "signup-surge"];
  return {
    kind: "run",
    options: {
      scenario,
      rate: rate === undefined ? scenario.defaultRate : wholeNumber("--rate", rate, 1, scenario.maxRate),
      durationSeconds: duration === undefined ? scenario.defaultDurationSeconds : wholeNumber("--duration", duration, 1, 3_600),
      drainTimeoutSeconds: drainTimeoutSeconds ?? scenario.defaultDrainTimeoutSeconds,
      keepData,
    },
  };
}

/** How the run's scale compares with the production scale, for the report's first lines. */
export function scaleStatement(options: LoadOptions): string {
  const { scenario, rate, durationSeconds } = options;
  const full = rate === scenario.defaultRate && durationSeconds === scenario.defaultDurationSeconds;
  const at = `--rate ${rate} (${scenario.rateUnit}) --duration ${durationSeconds}`;
  return full
    ? `production scale: ${at}`
    : `reduced scale: ${at}; production scale is --rate ${scenario.defaultRate} --duration ${scenario.defaultDurationSeconds}`;
}
