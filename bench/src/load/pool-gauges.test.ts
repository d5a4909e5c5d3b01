import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { poolGaugesOf, poolProblems } from "./pool-gauges";
import { parseMetricsText } from "./prometheus-text";

const METRICS = `db_pool_connections{app="dashboard",state="in_use"} 10
db_pool_connections{app="dashboard",state="idle"} 0
db_pool_connections{app="dashboard",state="waiting"} 37
db_pool_acquire_seconds_bucket{le="1",app="dashboard"} 90
db_pool_acquire_seconds_bucket{le="5",app="dashboard"} 98
db_pool_acquire_seconds_bucket{le="+Inf",app="dashboard"} 100
db_pool_acquire_seconds_sum{app="dashboard"} 61.5
db_pool_acquire_seconds_count{app="dashboard"} 100
`;

function logFile(lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "load-pool-")), "dashboard.log");
  writeFileSync(file, lines.join("\n"));
  return file;
}

describe("poolGaugesOf", () => {
  it("reads the pool gauges, the checkouts past the 5 s timeout and the pool timeouts the app logged", () => {
    const log = logFile([
      '{"msg":"entitlements unavailable","err":"PrismaClientKnownRequestError: Transaction API error: Unable to start a transaction in the given time."}',
      '{"msg":"usage denied: database unavailable","err":"Error: timeout exceeded when trying to connect"}',
      '{"msg":"usage denied: database unavailable","err":"DeadlineExceededError: no answer from the database within 2250 ms"}',
    ]);
    const gauges = poolGaugesOf("dashboard", parseMetricsText(METRICS), log);
    expect(gauges).toEqual({
      app: "dashboard",
      inUse: 10,
      idle: 0,
      waiting: 37,
      acquires: 100,
      acquireSecondsTotal: 61.5,
      acquiresOver5s: 2,
      poolTimeoutLogLines: 2,
    });
    expect(poolProblems([gauges])).toEqual(["dashboard: 2 pool checkouts over 5 s, 2 pool timeout errors logged"]);
  });

  it("finds no problem in a pool that always had a connection", () => {
    const quiet = METRICS.replace('le="5",app="dashboard"} 98', 'le="5",app="dashboard"} 100');
    expect(poolProblems([poolGaugesOf("dashboard", parseMetricsText(quiet), logFile(['{"msg":"listening"}']))])).toEqual([]);
  });
});
