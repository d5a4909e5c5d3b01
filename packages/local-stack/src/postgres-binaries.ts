import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runsAsRoot } from "./process-alive";

const run = promisify(execFile);
const INSTALL_ROOT = "/usr/lib/postgresql";

/** The OS user servers run as when we are root: Postgres refuses to run as root. */
export const POSTGRES_OS_USER = "postgres";

/** Debian's PostgreSQL bin folder (initdb, pg_ctl, …): of `version`, else of the newest version installed. */
export function findPostgresBin(version?: string): string | undefined {
  const versions = existsSync(INSTALL_ROOT)
    ? readdirSync(INSTALL_ROOT)
        .filter((candidate) => ["initdb", "pg_ctl"].every((binary) => existsSync(path.join(INSTALL_ROOT, candidate, "bin", binary))))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const chosen = version === undefined ? versions[0] : versions.find((candidate) => candidate === version);
  return chosen === undefined ? undefined : path.join(INSTALL_ROOT, chosen, "bin");
}

/** The version of the binaries in a bin folder found by findPostgresBin ("15"). */
export function postgresBinVersion(binDir: string): string {
  return path.basename(path.dirname(binDir));
}

/** File and arguments that run a Postgres binary, through `runuser` as the postgres user when we are root. */
export function postgresCommandLine(executable: string, args: readonly string[]): [string, string[]] {
  return runsAsRoot() ? ["runuser", ["-u", POSTGRES_OS_USER, "--", executable, ...args]] : [executable, [...args]];
}

/** uid and gid of the postgres OS user; rejects with a plain reason when there is none. */
export async function postgresOsUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all(
      ["-u", "-g"].map(async (flag) => Number((await run("id", [flag, POSTGRES_OS_USER])).stdout.trim())),
    );
    return { uid: uid!, gid: gid! };
  } catch {
    throw new Error(
      `running as ${userInfo().username}: Postgres refuses to run as root and there is no '${POSTGRES_OS_USER}' OS user`,
    );
  }
}
