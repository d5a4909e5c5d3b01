import { ConfigError } from "@wh/core";
import { UsageError, type CliIo } from "./cli-io";
import { COMMANDS } from "./command-table";

export function opsCliHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}${entry.summary}`);
  return `Usage: ops-cli <command> [options]
       ops-cli <command> --help

The operator tools of the webhook backbone.

Commands:
${lines.join("\n")}

Run it as \`pnpm ops <command> …\` from the repository, or \`node apps/ops-cli/dist/main.js <command> …\`
after a build. Each command reads its configuration from the environment (see its --help).

Exit codes: 0 done, 1 failed, 2 usage or configuration error.
`;
}

/** Dispatches `argv` (without `node main.js`) to a subcommand and returns the exit code; never throws. */
export async function runOpsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(opsCliHelp());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`ops-cli: unknown command '${name}' (one of ${Object.keys(COMMANDS).join(", ")})\nRun ops-cli --help for usage.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message}\nRun ops-cli ${name} --help for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`${name}: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
