// Waits (bounded) until the worker has settled every delivery the receiver accepted in one run,
// reading the ledger (webhook_events) in Postgres, the source of truth for "applied". Writes a
// JSON summary: counts per status, first receipt, last effect, end-to-end latency percentiles.
//
// Usage: DATABASE_URL=… node loadtest/wait-for-drain.js --run-id ID (--expected N | --report FILE)
//          [--timeout SECONDS] [--worker-pid PID] [--out FILE]
// Exit code: 0 drained, 1 not drained in time (or the worker died), 2 usage error.
"use strict";

const { readFileSync, writeFileSync } = require("node:fs");
const { parseArgs } = require("node:util");
const { Client } = require("pg");
const { RUN_EVENTS_CONDITION, runEventPrefixes, SETTLED_STATUSES } = require("./ledger-queries");

const POLL_MS = 500;

function usage(message) {
  process.stderr.write(`wait-for-drain: ${message}\n`);
  process.exit(2);
}

/** Deliveries the receiver acknowledged (2xx) in an artillery report: what must reach Postgres. */
function acceptedInReport(file) {
  const counters = JSON.parse(readFileSync(file, "utf8")).aggregate?.counters ?? {};
  return Object.entries(counters)
    .filter(([name]) => /^http\.codes\.2\d\d$/.test(name))
    .reduce((sum, [, count]) => sum + count, 0);
}

function workerAlive(pid) {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
  } catch {
    return false;
  }
  try {
    return !/^\S+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function snapshot(client, prefixes) {
  const { rows } = await client.query(
    `SELECT status::text AS status, count(*)::int AS count,
            min(received_at) AS first_received, max(processed_at) AS last_processed
       FROM webhook_events WHERE ${RUN_EVENTS_CONDITION} GROUP BY status`,
    prefixes,
  );
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.count]));
  const settled = rows.filter((row) => SETTLED_STATUSES.includes(row.status)).reduce((sum, row) => sum + row.count, 0);
  return { byStatus, settled };
}

/** Receipt → effect committed, per settled delivery, in ms; plus the window the worker worked in. */
async function timings(client, prefixes) {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n,
            min(received_at) AS first_received,
            min(processed_at) AS first_processed,
            max(processed_at) AS last_processed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000 AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000 AS p99,
            max(extract(epoch FROM processed_at - received_at)) * 1000 AS max
       FROM webhook_events
      WHERE ${RUN_EVENTS_CONDITION} AND status::text = ANY($3) AND processed_at IS NOT NULL`,
    [...prefixes, SETTLED_STATUSES],
  );
  const row = rows[0];
  const ms = (value) => (value === null ? null : Math.round(Number(value)));
  return {
    firstReceivedAt: row.first_received ? row.first_received.getTime() : null,
    firstProcessedAt: row.first_processed ? row.first_processed.getTime() : null,
    lastProcessedAt: row.last_processed ? row.last_processed.getTime() : null,
    endToEndMs: { p50: ms(row.p50), p95: ms(row.p95), p99: ms(row.p99), max: ms(row.max) },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      "run-id": { type: "string" },
      expected: { type: "string" },
      report: { type: "string" },
      timeout: { type: "string", default: "120" },
      "worker-pid": { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values["run-id"]) usage("--run-id is required");
  if (!process.env.DATABASE_URL) usage("DATABASE_URL is not set");
  const expected = values.expected !== undefined ? Number(values.expected) : values.report ? acceptedInReport(values.report) : NaN;
  if (!Number.isInteger(expected) || expected < 0) usage("give --expected N or --report FILE");
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) usage("--timeout must be a positive number of seconds");

  const prefixes = runEventPrefixes(values["run-id"]);
  const client = new Client({ connectionString: process.env.DATABASE_URL, application_name: "loadtest-drain" });
  await client.connect();
  const started = Date.now();
  let state = { byStatus: {}, settled: 0 };
  let outcome = "drained";
  let lastProgress = 0;
  try {
    for (;;) {
      state = await snapshot(client, prefixes);
      if (state.settled >= expected) break;
      if (!workerAlive(values["worker-pid"])) {
        outcome = "worker_died";
        break;
      }
      if (Date.now() - started >= timeoutMs) {
        outcome = "timed_out";
        break;
      }
      if (Date.now() - lastProgress >= 5_000) {
        lastProgress = Date.now();
        process.stderr.write(`[load] worker settled ${state.settled}/${expected} deliveries\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const result = {
      runId: values["run-id"],
      outcome,
      expected,
      settled: state.settled,
      byStatus: state.byStatus,
      waitedMs: Date.now() - started,
      ...(await timings(client, prefixes)),
    };
    if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    if (outcome !== "drained") {
      process.stderr.write(`[load] queue not drained (${outcome}): ${state.settled}/${expected} settled\n`);
    }
    return outcome === "drained" ? 0 : 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`wait-for-drain: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
