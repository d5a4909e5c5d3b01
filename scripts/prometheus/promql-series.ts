/** What a PromQL expression reads: its series selectors and the labels it groups or matches on. */
export interface PromqlReads {
  selectors: { metric: string; labels: string[] }[];
  /** Labels of `by`, `without`, `on`, `ignoring`, `group_left` and `group_right`. */
  groupingLabels: string[];
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"]);
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const BRACED_SELECTOR = /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g;
const MATCHER_LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g;
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

const labelList = (text: string) => [...text.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*/g)].map((match) => match[0]);

/**
 * Reads an expression with a small tokenizer (enough for alert rules and dashboards: no string
 * containing braces or parentheses). Grafana's `$__…` variables may stand for range durations.
 */
export function promqlReads(expr: string): PromqlReads {
  const groupingLabels: string[] = [];
  const selectors: PromqlReads["selectors"] = [];
  let rest = expr.replace(GROUPING, (_all, labels: string) => {
    groupingLabels.push(...labelList(labels));
    return " ";
  });
  rest = rest.replace(BRACED_SELECTOR, (_all, metric: string | undefined, matchers: string) => {
    const labels = [...matchers.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(MATCHER_LABEL)].map((match) => match[1]!);
    const name = labels.includes("__name__") ? undefined : metric;
    if (!name) throw new Error(`selector without a literal metric name in: ${expr}`);
    selectors.push({ metric: name, labels });
    return " ";
  });
  rest = rest
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/(?<![a-zA-Z0-9_:])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])?(?![a-zA-Z0-9_:])/gi, " ");
  for (const match of rest.matchAll(IDENTIFIER)) {
    const following = rest.slice(match.index + match[0].length);
    if (/^\s*\(/.test(following) || KEYWORDS.has(match[0].toLowerCase())) continue;
    selectors.push({ metric: match[0], labels: [] });
  }
  return { selectors, groupingLabels };
}
