import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { SLO_RULES_FILE } from "./generate-slo-rules";
import { metricCatalog, unknownReads } from "./metric-catalog";
import { promtool } from "./promtool";
import { renderSloRules } from "./slo-rules";

const ROOT = path.resolve(__dirname, "..", "..");
const PROMETHEUS_DIR = path.join(ROOT, "docker", "prometheus");
const RULE_FILES = ["alerts.yml", "slo.yml"].map((file) => path.join(PROMETHEUS_DIR, file));
const RULE_TESTS = readdirSync(path.join(PROMETHEUS_DIR, "tests"))
  .filter((file) => file.endsWith(".test.yml"))
  .map((file) => path.join(PROMETHEUS_DIR, "tests", file));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] =>
  RULE_FILES.flatMap((file) => (parse(readFileSync(file, "utf8")) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules));
const alertRules = (): Rule[] => rules().filter((rule) => rule.alert !== undefined);

it("the committed SLO rules are the generator's output", () => {
  expect(readFileSync(SLO_RULES_FILE, "utf8")).toBe(renderSloRules());
});

it("promtool accepts every rule file", () => {
  const { status, output } = promtool("check", "rules", ...RULE_FILES);
  expect(output).not.toMatch(/FAILED/);
  expect(status).toBe(0);
});

it("every rule reads series the apps export (or other rules record), by labels they carry", () => {
  const catalog = metricCatalog(RULE_FILES);
  const problems = rules().flatMap((rule) => unknownReads(rule.expr, catalog).map((problem) => `${rule.alert ?? rule.record}: ${problem}`));

  expect(rules().length).toBeGreaterThan(20);
  expect(problems).toEqual([]);
});

it("every alert fires and stays silent as its rule unit tests expect", () => {
  const { status, output } = promtool("test", "rules", ...RULE_TESTS);
  expect(output).not.toMatch(/FAILED/);
  expect(status).toBe(0);
});

/** README's "Operating it" section, up to the next top-level section: where the runbook lives. */
function operatingSection(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Operating it\n");
  if (start === -1) throw new Error('README.md has no "## Operating it" section');
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

it("every alert has a rule unit test and a runbook entry in README's Operating it section", () => {
  const tests = RULE_TESTS.map((file) => readFileSync(file, "utf8")).join("\n");
  const readmeAnchors = new Set(
    operatingSection()
      .split("\n")
      .filter((line) => /^#{2,6} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, "")
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, "")
          .replace(/ /g, "-"),
      ),
  );
  const alerts = alertRules();
  expect(alerts.length).toBeGreaterThan(10);
  for (const rule of alerts) {
    expect(tests).toContain(`alertname: ${rule.alert}`);
    const anchor = rule.annotations?.runbook?.replace(/^README\.md#/, "");
    expect({ alert: rule.alert, anchor, inReadme: anchor !== undefined && readmeAnchors.has(anchor) }).toEqual({
      alert: rule.alert,
      anchor: `alert-${rule.alert!.toLowerCase()}`,
      inReadme: true,
    });
  }
});
