import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { SLO_RULES_FILE } from "./generate-slo-rules";
import { renderSloRules } from "./slo-rules";

const ROOT = path.resolve(__dirname, "..", "..");
const PROMETHEUS_DIR = path.join(ROOT, "docker", "prometheus");
const RULE_FILES = ["alerts.yml", "slo.yml"].map((file) => path.join(PROMETHEUS_DIR, file));
const RULE_TESTS = readdirSync(path.join(PROMETHEUS_DIR, "tests"))
  .filter((file) => file.endsWith(".test.yml"))
  .map((file) => path.join(PROMETHEUS_DIR, "tests", file));

/** promtool comes with Debian's `prometheus` package, which scripts/test.sh installs when missing. */
function promtool(...args: string[]) {
  const result = spawnSync("promtool", args, { encoding: "utf8", timeout: 60_000 });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): run the tests through scripts/test.sh`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Rule {
  alert?: string;
  annotations?: Record<string, string>;
}
const alertRules = (): Rule[] =>
  RULE_FILES.flatMap((file) =>
    (parse(readFileSync(file, "utf8")) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules),
  ).filter((rule) => rule.alert !== undefined);

it("the committed SLO rules are the generator's output", () => {
  expect(readFileSync(SLO_RULES_FILE, "utf8")).toBe(renderSloRules());
});

it("promtool accepts every rule file", () => {
  const { status, output } = promtool("check", "rules", ...RULE_FILES);
  expect(output).not.toMatch(/FAILED/);
  expect(status).toBe(0);
});

it("every alert fires and stays silent as its rule unit tests expect", () => {
  const { status, output } = promtool("test", "rules", ...RULE_TESTS);
  expect(output).not.toMatch(/FAILED/);
  expect(status).toBe(0);
});

it("every alert has a rule unit test and a runbook entry in the README", () => {
  const tests = RULE_TESTS.map((file) => readFileSync(file, "utf8")).join("\n");
  const readmeAnchors = new Set(
    readFileSync(path.join(ROOT, "README.md"), "utf8")
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
