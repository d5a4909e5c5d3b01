/**
 * Runs the receiver, the worker and the dashboard in the foreground with readable logs. Ctrl-C /
 * SIGTERM is passed to each; the runner exits when all have stopped, or stops the others as soon
 * as one dies on its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import PinoPretty from "pino-pretty";

const HELP = `Usage: start-apps [--help]

Starts apps/receiver, apps/worker and apps/dashboard (built dist/) with pretty logs. Each reads its
configuration from the environment (see README.md). Ctrl-C stops them cleanly.
`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(HELP);
  process.exit(0);
}

const root = path.join(__dirname, "..");
const apps = ["receiver", "worker", "dashboard"] as const;
const children = new Map<string, ChildProcess>();
let stopping = false;

for (const app of apps) {
  const child = spawn(process.execPath, [path.join(root, "apps", app, "dist", "main.js")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  });
  // The pretty stream writes to stdout itself.
  child.stdout?.pipe(PinoPretty({ colorize: process.stdout.isTTY, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" }));
  child.on("exit", (code, signal) => {
    children.delete(app);
    if (!stopping) {
      process.stderr.write(`[start] ${app} exited (${signal ?? code}); stopping the others\n`);
      stop("SIGTERM", 1);
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
  children.set(app, child);
}

let exitCode = 0;
function stop(signal: NodeJS.Signals, code: number): void {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of children.values()) child.kill(signal);
  if (children.size === 0) process.exit(exitCode);
}

process.on("SIGINT", () => stop("SIGTERM", 0));
process.on("SIGTERM", () => stop("SIGTERM", 0));
