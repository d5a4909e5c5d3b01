import { freePort, testServers, waitFor } from "@wh/testkit";
import pg from "pg";
import { checkConnectionBudgetWhenConnected, judgeConnectionBudget, readServerConnectionLimits } from "./connection-budget";
import { createDatabasePool } from "./database-pool";

interface Line {
  level: "info" | "warn";
  context: { held: number; budget: number; formula: string };
  message: string;
}

function recordingLog(): { lines: Line[]; log: { info: (c: object, m: string) => void; warn: (c: object, m: string) => void } } {
  const lines: Line[] = [];
  return {
    lines,
    log: {
      info: (context, message) => lines.push({ level: "info", context: context as Line["context"], message }),
      warn: (context, message) => lines.push({ level: "warn", context: context as Line["context"], message }),
    },
  };
}

const pools: pg.Pool[] = [];
function pool(databaseUrl: string, poolMax = 2): pg.Pool {
  const created = createDatabasePool({ databaseUrl, poolMax, connectionTimeoutMs: 1_000 });
  created.on("error", () => undefined);
  pools.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

async function show(setting: string): Promise<number> {
  const { rows } = await pool(testServers().databaseUrl, 1).query<Record<string, string>>(`SHOW ${setting}`);
  return Number(Object.values(rows[0]!)[0]);
}

it("reads the server's limits as SHOW reports them", async () => {
  const limits = await readServerConnectionLimits(pool(testServers().databaseUrl));
  expect(limits).toEqual({
    maxConnections: await show("max_connections"),
    superuserReservedConnections: await show("superuser_reserved_connections"),
    reservedConnections: expect.any(Number),
  });
});

it("budgets 90 % of what is left after the reserved connections", () => {
  const limits = { maxConnections: 100, superuserReservedConnections: 3, reservedConnections: 2 };
  expect(judgeConnectionBudget(limits, 10, 8)).toMatchObject({ held: 80, budget: 85, fits: true });
  const over = judgeConnectionBudget(limits, 10, 9);
  expect(over).toMatchObject({ held: 90, budget: 85, fits: false });
  expect(over.formula).toBe(
    "DATABASE_POOL_MAX 10 × processes 9 = 90 > 0.9 × (max_connections 100 − superuser_reserved_connections 3 − reserved_connections 2) = 85",
  );
});

it("warns with the formula once connected when the pool exceeds the budget, and only once", async () => {
  const maxConnections = await show("max_connections");
  const { lines, log } = recordingLog();
  const checked = pool(testServers().databaseUrl, maxConnections);
  checkConnectionBudgetWhenConnected(checked, maxConnections, { log });
  expect(lines).toEqual([]);
  await checked.query("SELECT 1");
  await waitFor("the budget check", () => lines.length > 0);
  await Promise.all([1, 2, 3].map(() => checked.query("SELECT pg_sleep(0.05)")));
  expect(lines).toEqual([
    {
      level: "warn",
      context: { held: maxConnections, budget: expect.any(Number), formula: expect.stringContaining(`max_connections ${maxConnections}`) },
      message: expect.stringContaining("postgres connection budget exceeded"),
    },
  ]);
  expect(lines[0]!.context.budget).toBeLessThan(maxConnections);
});

it("reports a pool that fits at info level, counting every process of a supervisor", async () => {
  const { lines, log } = recordingLog();
  const checked = pool(testServers().databaseUrl, 2);
  checkConnectionBudgetWhenConnected(checked, 2, { log, processes: 3 });
  await checked.query("SELECT 1");
  await waitFor("the budget check", () => lines.length > 0);
  expect(lines).toEqual([{ level: "info", context: expect.objectContaining({ held: 6 }), message: "postgres connection budget fits" }]);
});

it("neither blocks nor logs while Postgres is unreachable", async () => {
  const { lines, log } = recordingLog();
  const url = new URL(testServers().databaseUrl);
  url.port = String(await freePort());
  const unreachable = pool(url.toString());
  checkConnectionBudgetWhenConnected(unreachable, 2, { log });
  await expect(unreachable.query("SELECT 1")).rejects.toThrow();
  expect(lines).toEqual([]);
});
