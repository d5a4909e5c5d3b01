import type pg from "pg";
import { withDeadline } from "./bounded-transaction";

/** A statement and its parameters, for `pg` or for Prisma's `$queryRawUnsafe`. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * One transaction on a pipelined `pg` client, in exchanges: `exchange` sends its statements back
 * to back (one network round trip) and resolves with their rows once all have answered. A failed
 * statement aborts the transaction; the ones behind it fail too and the exchange throws the first
 * error. The first exchange opens the transaction and sets its budget; end it with `commit`.
 */
export interface PipelinedTransaction {
  exchange(statements: Statement[]): Promise<unknown[][]>;
  /** `statements`, then COMMIT, in one exchange. */
  commit(statements: Statement[]): Promise<unknown[][]>;
}

/**
 * Runs `work` in one transaction on a client of `pool` (which must be in pipeline mode to save
 * the round trips) that cannot outlive `timeoutMs`: BEGIN and `SET LOCAL statement_timeout` ride
 * with the first exchange, and the caller stops waiting shortly after the budget like
 * boundedTransaction. A transaction `work` did not commit is rolled back; a client whose rollback
 * fails is discarded.
 */
export async function pipelinedTransaction<T>(
  pool: pg.Pool,
  timeoutMs: number,
  work: (tx: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const budget = Math.max(1, Math.floor(timeoutMs));
  const run = async (): Promise<T> => {
    const client = await pool.connect();
    let opened = false;
    let committed = false;
    const send = async (statements: Statement[]): Promise<unknown[][]> => {
      const opening: Statement[] = opened
        ? []
        : [{ text: "BEGIN", values: [] }, { text: `SET LOCAL statement_timeout = ${budget}`, values: [] }];
      opened = true;
      const settled = await Promise.allSettled([...opening, ...statements].map((s) => client.query(s.text, s.values)));
      const failure = settled.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
      return settled.slice(opening.length).map((result) => (result as PromiseFulfilledResult<pg.QueryResult>).value.rows);
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
      if (opened && !committed) {
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
