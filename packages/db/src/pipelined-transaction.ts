import type pg from "pg";
import { withDeadline } from "./bounded-transaction";
import { preparedStatementName } from "./prepared-statement-names";

/** A statement and its parameters, for `pg` or for Prisma's `$queryRawUnsafe`. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * One transaction on a pipelined `pg` client, in exchanges: `exchange` sends its statements back
 * to back (one network round trip) and resolves with their rows once all have answered. A failed
 * statement aborts the transaction; the ones behind it fail too and the exchange throws the first
 * error. The first exchange opens the transaction; end it with `commit`.
 */
export interface PipelinedTransaction {
  exchange(statements: Statement[]): Promise<unknown[][]>;
  /** `statements`, then COMMIT, in one exchange. */
  commit(statements: Statement[]): Promise<unknown[][]>;
}

/**
 * Runs `work` in one transaction on a client of `pool` (which must be in pipeline mode to save
 * the round trips) that cannot outlive `timeoutMs`, and the caller stops waiting shortly after the
 * budget like boundedTransaction. BEGIN rides with the first exchange; so does
 * `SET LOCAL statement_timeout`, unless the pool's connections already bound every statement by
 * the budget (createDatabasePool's `statementTimeoutMs`: one statement less per transaction).
 * Each exchange leaves in one socket write, and statements with parameters run as named prepared
 * statements (parsed and planned once per connection). A transaction `work` did not commit is
 * rolled back; a client whose rollback fails is discarded.
 */
export async function pipelinedTransaction<T>(
  pool: pg.Pool,
  timeoutMs: number,
  work: (tx: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const budget = Math.max(1, Math.floor(timeoutMs));
  const opening = openingStatements(pool, budget);
  const run = async (): Promise<T> => {
    const client = (await pool.connect()) as pg.PoolClient & pg.Client;
    // A checked-out client has no listener of the pool's: a connection lost while no query of
    // ours is out (Postgres shut down between two exchanges) would be an unhandled 'error' event
    // and end the process. Kept here, it fails the next exchange and the client is discarded.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on("error", onError);
    let opened = false;
    let committed = false;
    const send = async (statements: Statement[]): Promise<unknown[][]> => {
      if (lost) throw lost;
      const batch = opened ? statements : [...opening, ...statements];
      const skipped = batch.length - statements.length;
      opened = true;
      const settled = await Promise.allSettled(inOneWrite(client, batch));
      const failure = settled.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
      return settled.slice(skipped).map((result) => (result as PromiseFulfilledResult<pg.QueryResult>).value.rows);
    };
    const tx: PipelinedTransaction = {
      exchange: send,
      commit: async (statements) => {
        const rows = await send([...statements, { text: "COMMIT", values: [] }]);
        committed = true;
        return rows.slice(0, statements.length);
      },
    };
    try {
      return await work(tx);
    } finally {
      client.removeListener("error", onError);
      if (lost) {
        client.release(lost);
      } else if (opened && !committed) {
        await client.query("ROLLBACK").then(
          () => client.release(),
          (error: Error) => client.release(error),
        );
      } else {
        client.release();
      }
    }
  };
  return withDeadline(run(), budget + 250);
}

function openingStatements(pool: pg.Pool, budget: number): Statement[] {
  const poolTimeout = pool.options.statement_timeout;
  const bounded = typeof poolTimeout === "number" && poolTimeout > 0 && poolTimeout <= budget;
  return bounded
    ? [{ text: "BEGIN", values: [] }]
    : [{ text: "BEGIN", values: [] }, { text: `SET LOCAL statement_timeout = ${budget}`, values: [] }];
}

/**
 * pg writes each query to the socket as soon as it is issued; corked, the whole exchange leaves
 * in one write (one syscall for the worker, one wake-up for Postgres).
 */
function inOneWrite(client: pg.Client, statements: Statement[]): Promise<pg.QueryResult>[] {
  const socket = client.connection.stream;
  socket.cork();
  try {
    return statements.map(({ text, values }) => {
      const name = values.length > 0 ? preparedStatementName(text) : undefined;
      return name ? client.query({ name, text, values }) : client.query(text, values);
    });
  } finally {
    socket.uncork();
  }
}
