import { renderBenchmarksDoc, renderSoakSection, sectionOf, SOAK_ONLY_PAGE, withSection, type SoakDoc } from "./benchmarks-doc";
import type { SoakResult } from "./soak-scenario";

const result: SoakResult = {
  rate: 300,
  probedCapacity: 612.4,
  accepted: 90_000,
  errors: 0,
  latency: { count: 90_000, p50: 2.31, p99: 40.5, p999: 80 },
  backlogAtEnd: 12,
  rss: {},
  memory: [],
  verified: true,
  verification: "90000/90000 accepted events settled once",
};

const soakDoc = (overrides: Partial<SoakDoc> = {}): SoakDoc => ({
  command: "bash scripts/bench.sh soak",
  startedAt: new Date("2026-11-27T18:00:00Z"),
  machine: ["CPU: test"],
  busy: false,
  reduced: [],
  durationSeconds: 300,
  warmUpSeconds: 60,
  concurrency: 20,
  result,
  table: "| process | check |",
  memoryVerdict: "Memory: PASS",
  verification: "Verification: OK",
  chartFile: "benchmarks-soak.svg",
  ...overrides,
});

const comparisonPage = (table: string) =>
  renderBenchmarksDoc({
    command: "bash scripts/bench.sh",
    startedAt: new Date("2026-11-27T17:00:00Z"),
    machine: ["CPU: test"],
    busy: false,
    reduced: [],
    table,
    flatRates: undefined,
    verification: "Verification: OK",
    chartFile: "benchmarks.svg",
    profiles: [],
    rows: [],
  });

describe("the soak's section of docs/benchmarks.md", () => {
  it("says where its rate came from, with its checks and verification", () => {
    const section = renderSoakSection(soakDoc());
    expect(section).toContain("300 events/s offered: half the 612 events/s the probe measured");
    expect(section).toContain("90,000 deliveries accepted, 0 not answered 2xx");
    expect(section).toContain("Memory: PASS");
    expect(renderSoakSection(soakDoc({ result: { ...result, probedCapacity: undefined } }))).toContain("300 events/s offered, given with `--rate`");
    expect(renderSoakSection(soakDoc({ reduced: ["durationSeconds 60"] }))).toContain("**Reduced scale**");
  });

  it("is appended to a page without one and replaces its earlier self, leaving the rest of the page", () => {
    const page = comparisonPage("| old comparison |");
    const first = withSection(page, "soak", renderSoakSection(soakDoc()));
    expect(first.startsWith(page.trimEnd())).toBe(true);
    expect(sectionOf(first, "soak")).toBe(renderSoakSection(soakDoc()));

    const second = withSection(first, "soak", renderSoakSection(soakDoc({ memoryVerdict: "Memory: FAIL" })));
    expect(second).toContain("| old comparison |");
    expect(second).toContain("Memory: FAIL");
    expect(second).not.toContain("Memory: PASS");
    expect(second.split("## Memory soak")).toHaveLength(2);
  });

  it("survives a comparison run, which rewrites the rest of the page", () => {
    const withSoak = withSection(comparisonPage("| old comparison |"), "soak", renderSoakSection(soakDoc()));
    const rewritten = withSection(comparisonPage("| new comparison |"), "soak", sectionOf(withSoak, "soak"));
    expect(rewritten).toContain("| new comparison |");
    expect(rewritten).not.toContain("| old comparison |");
    expect(sectionOf(rewritten, "soak")).toBe(renderSoakSection(soakDoc()));
  });

  it("leaves a page without a soak as it is, and starts a page of its own when there is none", () => {
    expect(withSection("# Benchmarks\n", "soak", sectionOf("# Benchmarks\n", "soak"))).toBe("# Benchmarks\n");
    expect(withSection(SOAK_ONLY_PAGE, "soak", renderSoakSection(soakDoc()))).toMatch(/^# Benchmarks\n[\s\S]*## Memory soak[\s\S]*<!-- soak:end -->\n$/);
  });
});
