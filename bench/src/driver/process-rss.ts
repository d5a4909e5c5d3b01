import { readFileSync } from "node:fs";

/**
 * Bytes of the `VmRSS:` line of a /proc/<pid>/status text (the kernel writes kB meaning KiB);
 * undefined when there is none (a zombie or a kernel thread).
 */
export function parseVmRss(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Resident set size of one process (the process itself, not its children), in bytes; undefined once it is gone. */
export function processRssBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  return parseVmRss(status);
}
