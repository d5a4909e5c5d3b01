import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface RegisteredMetric {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary";
  labelNames: string[];
  /** Repository-relative source file that registers it. */
  file: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCE_DIRS = ["apps", "packages"];
const CONSTRUCTOR = /new (Counter|Gauge|Histogram|Summary)\s*(?:<[^>(]*>)?\s*\(\s*\{/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ["node_modules", "dist", "generated"].includes(entry.name) ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The object literal that starts at `open` (a `{`), braces balanced. */
function objectLiteral(text: string, open: number): string {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === "{") depth += 1;
    if (text[index] === "}" && --depth === 0) return text.slice(open, index + 1);
  }
  throw new Error(`unbalanced braces after offset ${open}`);
}

/**
 * Every metric the apps and packages register with prom-client (`new Counter({ name, labelNames
 * })` and its siblings), read from the sources: the names and labels are the interface that the
 * alert rules and the Grafana dashboard read.
 */
export function registeredMetrics(): Map<string, RegisteredMetric> {
  const metrics = new Map<string, RegisteredMetric>();
  const files = SOURCE_DIRS.flatMap((dir) => readdirSync(path.join(ROOT, dir)).map((name) => path.join(ROOT, dir, name, "src"))).filter(existsSync);
  for (const file of files.flatMap((dir) => sourceFiles(dir))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(CONSTRUCTOR)) {
      const literal = objectLiteral(text, match.index + match[0].length - 1);
      const relative = path.relative(ROOT, file);
      const name = /\bname:\s*"([^"]+)"/.exec(literal)?.[1];
      if (!name) throw new Error(`${relative}: a prom-client ${match[1]} without a literal name`);
      const labels = /\blabelNames:\s*\[([^\]]*)\]/.exec(literal)?.[1] ?? "";
      const labelNames = [...labels.matchAll(/"([^"]+)"/g)].map((label) => label[1]!);
      const type = match[1]!.toLowerCase() as RegisteredMetric["type"];
      const existing = metrics.get(name);
      if (existing) throw new Error(`${name} is registered twice: ${existing.file} and ${relative}`);
      metrics.set(name, { name, type, labelNames, file: relative });
    }
  }
  return metrics;
}
