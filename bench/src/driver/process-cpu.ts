import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux x86 and arm). */
const TICKS_PER_SECOND = 100;

/** Fields after the command name of /proc/<pid>/stat: [0] is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

const ticksToMicros = (ticks: number) => (ticks * 1_000_000) / TICKS_PER_SECOND;

/** CPU time (user + system) one process has used so far, in µs; with `reaped`, also its waited-for children's. */
export function processCpuMicros(pid: number, reaped = false): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]));
  return ticksToMicros(utime! + stime! + (reaped ? cutime! + cstime! : 0));
}

/**
 * CPU time of a Postgres server: the postmaster, every live child (backends, checkpointer, …)
 * and, through the postmaster's reaped-children times, the children that have exited. A
 * backend alive at one reading and gone at the next moves its time into the postmaster's, so
 * the difference of two readings is what the server spent in between.
 */
export function postgresCpuMicros(postmasterPid: number): number {
  let total = processCpuMicros(postmasterPid, true);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === postmasterPid) total += processCpuMicros(Number(entry));
  }
  return total;
}

/** Parent pid of a process (a Postgres backend's parent is the postmaster). */
export function parentPid(pid: number): number {
  const fields = statFields(pid);
  if (!fields) throw new Error(`process ${pid} is gone`);
  return Number(fields[1]);
}
