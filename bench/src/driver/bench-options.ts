export type BenchMode = "receiver" | "worker" | "e2e" | "all" | "soak";

export interface BenchOptions {
  mode: BenchMode;
  repeat: number;
  /** Seconds of each measured receiver and e2e phase; soak: of the whole soak, warm-up included. */
  durationSeconds: number;
  /** Seconds of receiver / e2e warm-up; soak: the soak's first seconds, before growth is counted. */
  warmUpSeconds: number;
  /** Soak: offered events/s; unset, half the capacity the soak's probe measures. */
  soakRate?: number;
  connections: number;
  receiverRates: number[];
  e2eRates: number[];
  events: number;
  subscriptions: number;
  concurrency: number;
  drainTimeoutSeconds: number;
  cpuProf: boolean;
  writeDocs: boolean;
}

/** The workload; a run with other values is labelled "reduced scale" in the report. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  mode: "all",
  repeat: 3,
  durationSeconds: 10,
  warmUpSeconds: 2,
  connections: 50,
  receiverRates: [1000, 2000],
  e2eRates: [500, 1000, 2000, 3000],
  events: 20_000,
  subscriptions: 5_000,
  concurrency: 20,
  drainTimeoutSeconds: 300,
  cpuProf: false,
  writeDocs: true,
};

/** The soak's own defaults (issue 8: a 5-minute soak, RSS growth counted after the warm-up). */
export const SOAK_DEFAULTS = { durationSeconds: 300, warmUpSeconds: 60 } as const;

export class BenchUsageError extends Error {
  override readonly name = "BenchUsageError";
}

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new BenchUsageError(`${flag} must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function rateList(flag: string, raw: string | undefined): number[] {
  const rates = (raw ?? "").split(",").map((rate) => wholeNumber(flag, rate.trim(), 1, 100_000));
  return rates.sort((a, b) => a - b);
}

/** Parses the arguments of scripts/bench.sh (after the shell's own --help). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS };
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    given.add(flag);
    switch (flag) {
      case "receiver":
      case "worker":
      case "e2e":
      case "all":
      case "soak":
        options.mode = flag;
        break;
      case "--repeat": options.repeat = wholeNumber(flag, value(), 1, 20); break;
      case "--duration": options.durationSeconds = wholeNumber(flag, value(), 1, 3600); break;
      case "--warm-up":
      case "--warmup": options.warmUpSeconds = wholeNumber(flag, value(), 0, 3600); break;
      case "--rate": options.soakRate = wholeNumber(flag, value(), 1, 100_000); break;
      case "--connections": options.connections = wholeNumber(flag, value(), 1, 1000); break;
      case "--receiver-rates": options.receiverRates = rateList(flag, value()); break;
      case "--e2e-rates": options.e2eRates = rateList(flag, value()); break;
      case "--events": options.events = wholeNumber(flag, value(), 1, 1_000_000); break;
      case "--subscriptions": options.subscriptions = wholeNumber(flag, value(), 1, 1_000_000); break;
      case "--concurrency": options.concurrency = wholeNumber(flag, value(), 1, 200); break;
      case "--drain-timeout": options.drainTimeoutSeconds = wholeNumber(flag, value(), 1, 3600); break;
      case "--cpu-prof": options.cpuProf = true; break;
      case "--no-docs": options.writeDocs = false; break;
      default: throw new BenchUsageError(`unknown argument: ${arg}`);
    }
  }
  if (options.subscriptions > options.events) throw new BenchUsageError("--subscriptions must not exceed --events");
  if (options.mode !== "soak") {
    if (options.soakRate !== undefined) throw new BenchUsageError("--rate is an option of the soak");
    if (options.warmUpSeconds > 60) throw new BenchUsageError("--warm-up must be a whole number from 0 to 60");
    if (options.durationSeconds > 600) throw new BenchUsageError("--duration must be a whole number from 1 to 600");
    return options;
  }
  if (!given.has("--duration")) options.durationSeconds = SOAK_DEFAULTS.durationSeconds;
  if (!given.has("--warm-up") && !given.has("--warmup")) options.warmUpSeconds = SOAK_DEFAULTS.warmUpSeconds;
  if (options.warmUpSeconds >= options.durationSeconds) throw new BenchUsageError("--warm-up must be shorter than --duration");
  return options;
}

/** Options that differ from the workload, as `--flag value` (empty: full scale). */
export function reducedScale(options: BenchOptions): string[] {
  const defaults: BenchOptions = options.mode === "soak" ? { ...DEFAULT_BENCH_OPTIONS, ...SOAK_DEFAULTS } : DEFAULT_BENCH_OPTIONS;
  const differs = (key: keyof BenchOptions) => JSON.stringify(options[key]) !== JSON.stringify(defaults[key]);
  const keys: (keyof BenchOptions)[] =
    options.mode === "soak"
      ? ["durationSeconds", "warmUpSeconds", "subscriptions", "concurrency"]
      : ["repeat", "durationSeconds", "connections", "receiverRates", "e2eRates", "events", "subscriptions", "concurrency"];
  return keys.filter(differs).map((key) => `${key} ${JSON.stringify(options[key])}`);
}
