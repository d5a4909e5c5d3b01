import { cpus, loadavg, totalmem } from "node:os";

/** CPU model, cores, memory, load and versions: what the numbers were measured on. */
export function describeMachine(serverVersions: string): string[] {
  const cores = cpus();
  return [
    `CPU: ${cores[0]?.model.trim() ?? "unknown"}, ${cores.length} cores; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `load average at start (1/5/15 min): ${loadavg().map((load) => load.toFixed(2)).join(" / ")}`,
    `Node ${process.version}; ${serverVersions}`,
  ];
}
