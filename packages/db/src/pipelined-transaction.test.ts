import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { testServers, waitFor } from "@wh/testkit";
import { createDatabasePool } from "./database-pool";
import { pipelinedTransaction } from "./pipelined-transaction";

/** The statements each client of `pool` sends, as pg receives them (text or query config). */
function recordStatements(pool: pg.Pool): string[] {
  const sent: string[] = [];
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string; name?: string };
      sent.push(typeof first === "string" ? first : `${first.name ?? ""}:${first.text}`);
      return query(...args);
    };
  });
  return sent;
}

const TOUCH = { text: "SELECT $1::int AS n", values: [1] };

describe("pipelinedTransaction", () => {
  let pool: pg.Pool | undefined;
  afterEach(async () => {
    await pool?.end();
    pool = undefined;
  });

  it("sets no statement_timeout per transaction when the pool's connections carry one within the budget", async () => {
    pool = createDatabasePool({ databaseUrl: testServers().databaseUrl, poolMax: 1, statementTimeoutMs: 200 });
    const sent = recordStatements(pool);

    const rows = await pipelinedTransaction(pool, 1_000, (tx) => tx.commit([TOUCH]));

    expect(rows).toEqual([[{ n: 1 }]]);
    expect(sent.filter((text) => text.includes("statement_timeout"))).toEqual([]);
    await expect(pipelinedTransaction(pool, 1_000, (tx) => tx.commit([{ text: "SELECT pg_sleep(1)", values: [] }]))).rejects.toMatchObject({
      code: "57014", // query_canceled: the connection's 200 ms
    });
  });

  it("sets the budget with SET LOCAL when the pool's connections do not bound statements by it", async () => {
    pool = createDatabasePool({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
    const sent = recordStatements(pool);

    await expect(pipelinedTransaction(pool, 200, (tx) => tx.commit([{ text: "SELECT pg_sleep(1)", values: [] }]))).rejects.toMatchObject({
      code: "57014",
    });
    expect(sent).toContain("SET LOCAL statement_timeout = 200");
  });

  it("sends an exchange in one socket write and prepares each parameterised statement once per connection", async () => {
    pool = createDatabasePool({ databaseUrl: testServers().databaseUrl, poolMax: 1, statementTimeoutMs: 5_000 });
    const client = (await pool.connect()) as pg.PoolClient & pg.Client;
    // What reaches the socket (a syscall each): one `_write` or one `_writev` of what was corked.
    const socket = client.connection.stream as unknown as { _write: () => void; _writev: () => void };
    const writes = [jest.spyOn(socket, "_write"), jest.spyOn(socket, "_writev")];
    client.release();

    const statements = [TOUCH, { text: "SELECT $1::text AS s", values: ["x"] }, TOUCH];
    for (let run = 0; run < 3; run += 1) {
      await pipelinedTransaction(pool, 5_000, (tx) => tx.commit(statements));
    }

    expect(writes[0]!.mock.calls.length + writes[1]!.mock.calls.length).toBe(3);
    const prepared = await pool.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements ORDER BY statement");
    expect(prepared.rows.map((row) => row.statement)).toEqual(["SELECT $1::int AS n", "SELECT $1::text AS s"]);
  });

  it("fails the transaction, without an unhandled 'error' event, when Postgres ends the connection between exchanges", async () => {
    pool = createDatabasePool({ databaseUrl: testServers().databaseUrl, poolMax: 1 });
    const admin = new pg.Client({ connectionString: testServers().databaseUrl });
    await admin.connect();
    try {
      const attempt = pipelinedTransaction(pool, 5_000, async (tx) => {
        const [[backend]] = (await tx.exchange([{ text: "SELECT pg_backend_pid() AS pid", values: [] }])) as [[{ pid: number }]];
        await admin.query("SELECT pg_terminate_backend($1)", [backend!.pid]);
        // No query of ours is out while the FATAL arrives: only the client's 'error' event sees it
        // (without a listener of ours, an unhandled 'error' event ends the process).
        await waitFor("the backend to end", async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [backend!.pid])).rowCount === 0);
        await sleep(100);
        return tx.commit([TOUCH]);
      });
      await expect(attempt).rejects.toThrow(/terminat/i);
      // The dead client was discarded: the next transaction gets a working one.
      expect(await pipelinedTransaction(pool, 1_000, (tx) => tx.commit([TOUCH]))).toEqual([[{ n: 1 }]]);
    } finally {
      await admin.end();
    }
  });
});
