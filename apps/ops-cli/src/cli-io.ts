/** What a command may touch of its process: the environment and the two output streams. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Progress bars are drawn only when this is a terminal (`isTTY`); plain lines otherwise. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on Ctrl-C: long runs stop after the current item and still print their summary. */
  signal: AbortSignal;
}

/** A subcommand: its arguments (after its name) in, an exit code out (0 done, 1 failed, 2 usage or configuration). */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Thrown for a bad command line: the dispatcher prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
