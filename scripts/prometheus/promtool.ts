import { spawnSync } from "node:child_process";

/** promtool comes with Debian's `prometheus` package, which scripts/test.sh installs when missing. */
export function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { encoding: "utf8", timeout: 60_000 });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): run the tests through scripts/test.sh`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
