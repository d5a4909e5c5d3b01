import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderSloRules } from "./slo-rules";

export const SLO_RULES_FILE = path.resolve(__dirname, "..", "..", "docker", "prometheus", "slo.yml");

const HELP = `Usage: pnpm exec tsx scripts/prometheus/generate-slo-rules.ts [--check]

Writes docker/prometheus/slo.yml from the SLO definitions in scripts/prometheus/slo-rules.ts.
  --check   write nothing; exit 1 when the file is not up to date
  --help    this text`;

function main(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((arg) => arg !== "--check");
  if (unknown.length > 0) {
    console.error(`unknown argument: ${unknown[0]}\n\n${HELP}`);
    return 2;
  }
  const rendered = renderSloRules();
  if (args.includes("--check")) {
    const current = readFileSync(SLO_RULES_FILE, "utf8");
    if (current === rendered) return 0;
    console.error(`${SLO_RULES_FILE} is out of date: run this script without --check`);
    return 1;
  }
  writeFileSync(SLO_RULES_FILE, rendered);
  console.log(`wrote ${SLO_RULES_FILE}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
