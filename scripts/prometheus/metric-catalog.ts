import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { promqlReads } from "./promql-series";
import { registeredMetrics } from "./registered-metrics";

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ["job", "instance"];

/**
 * Every series a PromQL expression of ours may read, with the labels it carries (undefined: not
 * checked): the metrics registered in the code (a histogram as its `_bucket`, `_sum` and `_count`
 * series), the recording rules of the given rule files, and Prometheus' own `up`.
 */
export function metricCatalog(ruleFiles: string[]): Map<string, string[] | undefined> {
  const catalog = new Map<string, string[] | undefined>([["up", TARGET_LABELS]]);
  for (const metric of registeredMetrics().values()) {
    const labels = [...metric.labelNames, ...TARGET_LABELS];
    if (metric.type === "histogram" || metric.type === "summary") {
      catalog.set(`${metric.name}_sum`, labels);
      catalog.set(`${metric.name}_count`, labels);
      catalog.set(metric.type === "histogram" ? `${metric.name}_bucket` : metric.name, [...labels, metric.type === "histogram" ? "le" : "quantile"]);
    } else {
      catalog.set(metric.name, labels);
    }
  }
  for (const file of ruleFiles) {
    const rules = (parse(readFileSync(file, "utf8")) as { groups: { rules: { record?: string }[] }[] }).groups.flatMap((group) => group.rules);
    for (const rule of rules) if (rule.record) catalog.set(rule.record, undefined);
  }
  return catalog;
}

/** What in `expr` reads a series that does not exist, or a label that none of its series carries. */
export function unknownReads(expr: string, catalog: Map<string, string[] | undefined>): string[] {
  const { selectors, groupingLabels } = promqlReads(expr);
  const problems: string[] = [];
  const known = new Set<string>();
  let labelsChecked = true;
  for (const { metric, labels } of selectors) {
    if (!catalog.has(metric)) {
      problems.push(`${metric}: no such metric or recording rule`);
      continue;
    }
    const carried = catalog.get(metric);
    if (!carried) {
      labelsChecked = false;
      continue;
    }
    carried.forEach((label) => known.add(label));
    for (const label of labels) if (!carried.includes(label)) problems.push(`${metric}: has no label ${label}`);
  }
  if (labelsChecked) for (const label of groupingLabels) if (!known.has(label)) problems.push(`${label}: no series of this expression has this label`);
  return problems;
}
