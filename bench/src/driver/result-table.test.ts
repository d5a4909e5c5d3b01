import type { Measurement } from "./measurement";
import { aggregate, formatTable, highestFlatRates } from "./result-table";

function run(variant: "bare" | "ours", throughput: number, cpu: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    scenario: "receiver, closed loop, 50 connections",
    variant,
    unit: "req",
    throughput,
    latency: { count: 10, p50: 1, p99: throughput / 1000, p999: 9 },
    cpuPerUnit: { receiver: cpu, redis: 10 },
    errors: 0,
    verified: true,
    verification: "ok",
    ...extra,
  };
}

describe("aggregate and formatTable", () => {
  const rows = aggregate([run("bare", 6000, 100), run("ours", 3000, 300), run("bare", 7000, 120), run("ours", 2000, 290), run("bare", 8000, 110), run("ours", 2500, 310)]);

  it("takes the median of each variant's repeats and the max/min noise", () => {
    expect(rows.map((row) => [row.variant, row.repeats, row.throughput, row.cpuTotal])).toEqual([
      ["bare", 3, 7000, 120],
      ["ours", 3, 2500, 310],
    ]);
    expect(rows[1]!.throughputNoise).toBe(1.5);
  });

  it("prints ours/bare on our row and one line per variant", () => {
    const table = formatTable(rows).split("\n");
    expect(table).toHaveLength(4);
    expect(table[0]).toContain("CPU µs receiver");
    expect(table[0]).not.toContain("CPU µs worker");
    expect(table[3]).toContain("| 0.36× | 2.58× |");
    expect(table[2]).toContain("| 7,000 req |");
  });

  it("fails verification when any repeat failed", () => {
    const [bare] = aggregate([run("bare", 1, 1), run("bare", 1, 1, { verified: false })]);
    expect(bare!.verified).toBe(false);
  });

  it("finds the highest rate at which the queue stayed flat in most repeats", () => {
    const e2e = (rate: number, variant: "bare" | "ours", flat: boolean) =>
      run(variant, rate, 1, { scenario: `e2e, ${rate}/s offered`, unit: "event", flat });
    const rates = highestFlatRates(aggregate([e2e(500, "bare", true), e2e(1000, "bare", true), e2e(500, "ours", true), e2e(1000, "ours", false)]));
    expect(rates).toEqual({ bare: 1000, ours: 500 });
  });
});
