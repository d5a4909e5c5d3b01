/**
 * The operator tools in one command: `ops-cli <command> …` (`pnpm ops …`). The commands are listed
 * in command-table.ts; run with --help.
 */
import { runOpsCli } from "./ops-cli";

const abort = new AbortController();
process.once("SIGINT", () => {
  process.stderr.write("[ops-cli] Ctrl-C: stopping after the current item\n");
  abort.abort();
});

runOpsCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, signal: abort.signal }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ops-cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
