// Prints the comparison table of one scripts/load.sh run: the bare baseline and the receiver under
// the same artillery phase (from artillery's --output JSON reports), then what the worker did with
// the receiver's deliveries (from wait-for-drain.js's JSON).
// Usage: node loadtest/compare-reports.js --baseline FILE --receiver FILE [--drain FILE]
//          [--worker-after-load] [--title TEXT]
"use strict";

const { readFileSync } = require("node:fs");
const { parseArgs } = require("node:util");

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The numbers we compare, from artillery's aggregate section. */
function artilleryStats(report) {
  const { counters = {}, summaries = {}, firstCounterAt, lastCounterAt } = report.aggregate ?? {};
  const sumOf = (test) =>
    Object.entries(counters)
      .filter(([name]) => test(name))
      .reduce((sum, [, count]) => sum + count, 0);
  const requests = counters["http.requests"] ?? 0;
  const ok = sumOf((name) => /^http\.codes\.2\d\d$/.test(name));
  const otherStatus = sumOf((name) => /^http\.codes\.\d+$/.test(name)) - ok;
  const transport = sumOf((name) => name.startsWith("errors."));
  const latency = summaries["http.response_time"] ?? {};
  const seconds = firstCounterAt && lastCounterAt ? (lastCounterAt - firstCounterAt) / 1000 : null;
  return {
    requests,
    ok,
    errors: otherStatus + transport,
    errorKinds: Object.fromEntries(
      Object.entries(counters).filter(
        ([name]) => name.startsWith("errors.") || (/^http\.codes\.\d+$/.test(name) && !/^http\.codes\.2/.test(name)),
      ),
    ),
    rate: seconds ? requests / seconds : null,
    median: latency.median ?? latency.p50 ?? null,
    p95: latency.p95 ?? null,
    p99: latency.p99 ?? null,
    max: latency.max ?? null,
    lastCounterAt: lastCounterAt ?? null,
  };
}

const fixed = (value, digits = 1) => (value === null || value === undefined ? "-" : Number(value).toFixed(digits));
const ratio = (receiver, baseline) =>
  receiver === null || baseline === null || !(baseline > 0) ? "-" : `${(receiver / baseline).toFixed(1)}x`;

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]))).join("   "))
    .join("\n")
    .replace(/ +$/gm, "");
}

/**
 * What the worker did with the receiver's deliveries. Worker running during the load: its rate
 * over first receipt -> last effect, the backlog left when the load ended, receipt -> effect
 * latency. Worker started after the load: its rate over first -> last effect on a full backlog.
 */
function workerLines(drain, recv, workerAfterLoad) {
  const seconds = (from, to) => (from === null || to === null || from === undefined ? null : (to - from) / 1000);
  const statuses = Object.entries(drain.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(", ");
  const rows = [
    [workerAfterLoad ? "worker, started after the load (ledger)" : "worker, running during the load (ledger)", "value", ""],
    ["deliveries accepted by the receiver", drain.expected, ""],
    ["deliveries settled by the worker", drain.settled, statuses ? `(${statuses})` : ""],
    ["outcome", drain.outcome, ""],
  ];
  if (workerAfterLoad) {
    const window = seconds(drain.firstProcessedAt, drain.lastProcessedAt);
    rows.push(
      ["applied per second", window ? fixed(drain.settled / window) : "-", "(first effect -> last effect)"],
      ["time to drain the backlog (s)", fixed(window), ""],
    );
  } else {
    const window = seconds(drain.firstReceivedAt, drain.lastProcessedAt);
    const afterLoad = seconds(recv.lastCounterAt, drain.lastProcessedAt);
    const e2e = drain.endToEndMs;
    rows.push(
      ["applied per second", window ? fixed(drain.settled / window) : "-", window ? `(first receipt -> last effect: ${fixed(window)} s)` : ""],
      ["time to drain after the load ended (s)", afterLoad === null ? "-" : fixed(Math.max(0, afterLoad)), ""],
      ["receipt -> effect p50 / p95 / p99 (ms)", `${e2e.p50 ?? "-"} / ${e2e.p95 ?? "-"} / ${e2e.p99 ?? "-"}`, ""],
    );
  }
  return table(rows).split("\n");
}

function main() {
  const { values } = parseArgs({
    options: {
      baseline: { type: "string" },
      receiver: { type: "string" },
      drain: { type: "string" },
      title: { type: "string" },
      "worker-after-load": { type: "boolean", default: false },
    },
  });
  if (!values.baseline || !values.receiver) {
    process.stderr.write("usage: compare-reports.js --baseline FILE --receiver FILE [--drain FILE] [--worker-after-load] [--title TEXT]\n");
    process.exit(2);
  }
  const base = artilleryStats(readJson(values.baseline));
  const recv = artilleryStats(readJson(values.receiver));
  const lines = [];
  if (values.title) lines.push(values.title, "");
  lines.push(
    table([
      ["HTTP (artillery)", "baseline", "receiver", "receiver/baseline"],
      ["requests", base.requests, recv.requests, ""],
      ["errors (non-2xx, no answer)", base.errors, recv.errors, ""],
      ["achieved rate (req/s)", fixed(base.rate), fixed(recv.rate), ""],
      ["latency median (ms)", fixed(base.median), fixed(recv.median), ratio(recv.median, base.median)],
      ["latency p95 (ms)", fixed(base.p95), fixed(recv.p95), ratio(recv.p95, base.p95)],
      ["latency p99 (ms)", fixed(base.p99), fixed(recv.p99), ratio(recv.p99, base.p99)],
      ["latency max (ms)", fixed(base.max), fixed(recv.max), ratio(recv.max, base.max)],
    ]),
  );
  for (const [name, stats] of [["baseline", base], ["receiver", recv]]) {
    if (stats.errors > 0) lines.push(`${name} errors: ${JSON.stringify(stats.errorKinds)}`);
  }

  if (values.drain) lines.push("", ...workerLines(readJson(values.drain), recv, values["worker-after-load"]));
  process.stdout.write(`${lines.join("\n")}\n`);
  // A benchmark with failed requests measured something else: make it visible to the caller.
  return base.errors + recv.errors > 0 ? 1 : 0;
}

process.exitCode = main();
