/**
 * The local servers' command line (scripts/services.sh, and the run, test and bench commands
 * through scripts/lib/bootstrap.sh). Runs from source with tsx: it must work before the build.
 */
import path from "node:path";
import { AptInstaller, type Requirement } from "./apt-installer";
import { bootstrapLog, buildAndMigrate } from "./bootstrap";
import { missingDevSecrets } from "./dev-secrets";
import { readStackEnv } from "./env";
import { LocalStack } from "./local-stack";
import { ServiceError } from "./service-log";
import { shellAssignment } from "./shell-assignment";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const HELP = `Usage: scripts/services.sh <command>

Commands:
  start    make Redis and Postgres available (starting project-local servers,
           installing the Debian packages if needed) and print
             REDIS_URL=...
             DATABASE_URL=...
           on stdout, e.g.  eval "$(scripts/services.sh start | sed 's/^/export /')"
  stop     stop the project-local servers (data in .data/ is kept)
  status   show whether the project-local servers are running (exit 3 if not)
  -h, --help

Commands of the run, test and bench commands (scripts/lib/bootstrap.sh):
  bootstrap [CMD=PKG...]
                       start; apt-get install PKG for each CMD not on PATH; build; apply migrations;
                       print REDIS_URL, DATABASE_URL, WH_PG_BIN
  dev-secrets          print NAME=value for each secret or token the environment does not set
                       (development-only values; never in production)

Environment:
  REDIS_URL, DATABASE_URL  use these servers instead (checked, never replaced)
  WH_REDIS_PORT            local Redis port    (default 6390, bound to 127.0.0.1)
  WH_PG_PORT               local Postgres port (default 5440, bound to 127.0.0.1)

The code: packages/local-stack (@wh/local-stack).
`;

function print(lines: string[]): void {
  for (const line of lines) process.stdout.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  // one installer: `apt-get update` runs at most once per command
  const installer = new AptInstaller();
  const stack = () => new LocalStack({ root: ROOT, ...readStackEnv(process.env) }, installer);
  switch (command) {
    case "start": {
      const urls = await stack().start();
      print([shellAssignment("REDIS_URL", urls.redisUrl), shellAssignment("DATABASE_URL", urls.databaseUrl)]);
      return 0;
    }
    case "stop":
      await stack().stop();
      return 0;
    case "status": {
      const status = await stack().status();
      print(status.lines);
      return status.running ? 0 : 3;
    }
    case "bootstrap": {
      const requirements = args.map(parseRequirement);
      const urls = await stack().start();
      await installer.ensure(requirements);
      const exported = { REDIS_URL: urls.redisUrl, DATABASE_URL: urls.databaseUrl, ...(urls.pgBin ? { WH_PG_BIN: urls.pgBin } : {}) };
      await buildAndMigrate(ROOT, { ...process.env, ...exported });
      print(Object.entries(exported).map(([name, value]) => shellAssignment(name, value)));
      return 0;
    }
    case "dev-secrets": {
      bootstrapLog("secrets and tokens not set in the environment take development-only values from packages/local-stack/src/dev-secrets.ts (never in production)");
      print(Object.entries(missingDevSecrets(process.env)).map(([name, value]) => shellAssignment(name, value)));
      return 0;
    }
    default:
      if (command) process.stderr.write(`[services] unknown command: ${command}\n`);
      process.stderr.write(HELP);
      return 2;
  }
}

function parseRequirement(argument: string): Requirement {
  const [command, aptPackage] = argument.split("=");
  if (!command || !aptPackage) throw new ServiceError(`expected COMMAND=PACKAGE, got '${argument}'`);
  return { command, aptPackage };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const prefix = error instanceof ServiceError ? "[services]" : "[bootstrap]";
    process.stderr.write(`${prefix} ERROR: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
