import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";

/** The process exists and is not a zombie (an un-reaped exited process still passes kill 0). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const state = readProcFile(pid, "stat")?.replace(/^.*\) /s, "")[0];
  return state !== "Z" && state !== "X";
}

/** The process is alive and its command line contains `word` (when /proc tells). */
export function pidRuns(pid: number, word: string): boolean {
  if (!pidAlive(pid)) return false;
  const commandLine = pidCommandLine(pid);
  return commandLine === undefined || commandLine.includes(word);
}

/** The command line of a process, arguments joined by spaces; undefined when /proc does not tell. */
export function pidCommandLine(pid: number): string | undefined {
  return readProcFile(pid, "cmdline")?.split("\0").join(" ");
}

/** The first whole number in a pid file; undefined when there is none or no file. */
export function readPidFile(file: string, line = 0): number | undefined {
  try {
    const digits = readFileSync(file, "utf8").split("\n")[line]?.replace(/\D/g, "");
    return digits ? Number(digits) : undefined;
  } catch {
    return undefined;
  }
}

/** `command -v`: the program is an executable file somewhere on PATH. */
export function commandExists(name: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Sends a signal; a process that is gone already is not an error. */
export function sendSignal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

export function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function readProcFile(pid: number, name: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return undefined;
  }
}
