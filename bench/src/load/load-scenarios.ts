/** One artillery phase, as in a scenario file's `config.phases`. */
export interface ArtilleryPhase {
  name: string;
  duration: number;
  arrivalRate?: number;
  rampTo?: number;
  arrivalCount?: number;
}

export type ScenarioName = "signup-surge" | "connection-stress" | "receiver-burst" | "duplicate-storm" | "backlog-drain";

export interface LoadScenario {
  name: ScenarioName;
  /** One line for --help and the report. */
  summary: string;
  /** What --rate counts in this scenario. */
  rateUnit: string;
  /** The production scale (the numbers); flags scale it down, the files never change. */
  defaultRate: number;
  defaultDurationSeconds: number;
  maxRate: number;
  /** The arrival phases artillery runs at a rate and duration (passed with --overrides). */
  phases(rate: number, durationSeconds: number): ArtilleryPhase[];
  /** How long the worker may take after the load to settle everything, unless --drain-timeout. */
  defaultDrainTimeoutSeconds: number;
  /** False: the worker is started only after the load, on the backlog (its drain is measured). */
  workerDuringLoad: boolean;
  /** The same phases first against bench's bare baseline receiver, for comparison. */
  againstBaseline: boolean;
  /** Print and judge the Postgres pool gauges and pool timeouts of the worker and the dashboard. */
  poolCheck: boolean;
  /** The processor's webhook-to-plan-visible histogram is reported and every journey must see its plan. */
  planVisibleCheck: boolean;
}

const half = (seconds: number) => Math.max(1, Math.ceil(seconds / 2));
const third = (seconds: number) => Math.max(1, Math.ceil(seconds / 3));

/** The scenarios of `bash scripts/load.sh [scenario]`, each in loadtest/scenarios/<name>.yml. */
export const LOAD_SCENARIOS: Record<ScenarioName, LoadScenario> = {
  "signup-surge": {
    name: "signup-surge",
    summary: "per user: Clerk user.created, Stripe checkout, subscription, invoice.paid, then GET /v1/entitlements until the plan shows; ramp to --rate",
    rateUnit: "new users (journeys) a second at the peak",
    defaultRate: 100,
    defaultDurationSeconds: 120,
    maxRate: 1_000,
    phases: (rate, duration) => [
      { name: "ramp", duration: half(duration), arrivalRate: 1, rampTo: rate },
      { name: "peak", duration: half(duration), arrivalRate: rate },
    ],
    defaultDrainTimeoutSeconds: 300,
    workerDuringLoad: true,
    againstBaseline: false,
    poolCheck: false,
    planVisibleCheck: true,
  },
  "connection-stress": {
    name: "connection-stress",
    summary: "--rate concurrent users, each signs up then loops webhooks + POST /v1/usage + GET /v1/entitlements for --duration s",
    rateUnit: "concurrent virtual users",
    defaultRate: 200,
    defaultDurationSeconds: 60,
    maxRate: 2_000,
    phases: (rate, duration) => [{ name: "arrive", duration: Math.min(10, duration), arrivalCount: rate }],
    defaultDrainTimeoutSeconds: 300,
    workerDuringLoad: true,
    againstBaseline: false,
    poolCheck: true,
    planVisibleCheck: false,
  },
  "receiver-burst": {
    name: "receiver-burst",
    summary: "open loop, one signed Stripe checkout.session.completed per arrival: 100/s, ramp to --rate/s, hold; bare baseline first",
    rateUnit: "requests a second at the peak",
    defaultRate: 2_000,
    defaultDurationSeconds: 60,
    maxRate: 10_000,
    phases: (rate, duration) => [
      { name: "start", duration: third(duration), arrivalRate: Math.min(100, rate) },
      { name: "ramp", duration: third(duration), arrivalRate: Math.min(100, rate), rampTo: rate },
      { name: "peak", duration: third(duration), arrivalRate: rate },
    ],
    defaultDrainTimeoutSeconds: 300,
    workerDuringLoad: false,
    againstBaseline: true,
    poolCheck: false,
    planVisibleCheck: false,
  },
  "duplicate-storm": {
    name: "duplicate-storm",
    summary: "per user the sign-up journey with every event sent 10 times at once, and all of them again once the plan shows",
    rateUnit: "journeys a second (80 webhook requests each)",
    defaultRate: 20,
    defaultDurationSeconds: 60,
    maxRate: 200,
    phases: (rate, duration) => [{ name: "storm", duration, arrivalRate: rate }],
    defaultDrainTimeoutSeconds: 300,
    workerDuringLoad: true,
    againstBaseline: false,
    poolCheck: false,
    planVisibleCheck: true,
  },
  "backlog-drain": {
    name: "backlog-drain",
    summary: "sign-up journeys (4 events each) accepted with the worker stopped (default 100,000 events), then the worker drains them",
    rateUnit: "journeys a second (4 events each)",
    defaultRate: 250,
    defaultDurationSeconds: 100,
    maxRate: 2_000,
    phases: (rate, duration) => [{ name: "fill", duration, arrivalRate: rate }],
    defaultDrainTimeoutSeconds: 1_800,
    workerDuringLoad: false,
    againstBaseline: false,
    poolCheck: false,
    planVisibleCheck: false,
  },
};

export const SCENARIO_NAMES = Object.keys(LOAD_SCENARIOS) as ScenarioName[];

export const isScenarioName = (value: string): value is ScenarioName => Object.hasOwn(LOAD_SCENARIOS, value);
