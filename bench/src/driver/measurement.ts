import type { Variant } from "./bench-apps";
import type { LatencySummary } from "./latency-stats";

/** One measured run of one scenario and one variant. */
export interface Measurement {
  scenario: string;
  variant: Variant;
  unit: "req" | "event";
  /** Requests answered 2xx, or events applied, per second. */
  throughput: number;
  latency?: LatencySummary;
  /** CPU µs per request or event, by process (receiver, worker, redis, postgres). */
  cpuPerUnit: Record<string, number>;
  /** Requests not answered 2xx. */
  errors: number;
  /** E2E only: whether the queue depth stayed flat at the offered rate. */
  flat?: boolean;
  verified: boolean;
  verification: string;
}

/** µs per unit from a CPU reading over `units` units of work. */
export function perUnit(cpuMicros: Record<string, number>, units: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpuMicros).map(([label, micros]) => [label, units > 0 ? micros / units : Number.NaN]));
}
