import { existsSync, readFileSync } from "node:fs";

/** Progress lines of the local servers, on stderr (stdout carries only what a shell evaluates). */
export function serviceLog(message: string): void {
  process.stderr.write(`[services] ${message}\n`);
}

/** The last `count` lines of `text`, indented under a `[services]` prefix, for error context. */
export function logTail(text: string, count: number): void {
  const lines = text.trimEnd().split("\n").slice(-count).filter(Boolean);
  for (const line of lines) serviceLog(`  | ${line}`);
}

/** The last `count` lines of a server's log file, or a note that there is none. */
export function showLogFile(file: string, count = 20): void {
  if (!existsSync(file)) {
    serviceLog(`(no log file at ${file})`);
    return;
  }
  serviceLog(`last ${count} lines of ${file}:`);
  logTail(readFileSync(file, "utf8"), count);
}

/** A failure to make a server available: the CLI prints it as `[services] ERROR: …` and exits 1. */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
}
