import { execFile, execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";
import { findPostgresBin, postgresCommandLine, postgresOsUser } from "./postgres-binaries";
import { runsAsRoot } from "./process-alive";

const run = promisify(execFile);

const PASSWORD = "postgres";

export interface PostgresServerOptions {
  /** Folder of initdb and pg_ctl; defaults to WH_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin. */
  binDir?: string;
}

/**
 * A throwaway Postgres cluster for tests that stop or restart Postgres: never the server the
 * run command uses. initdb into a temp folder, loopback only on a free port, fsync off (the
 * data is disposable). As root, the folder belongs to the `postgres` user and every server
 * command runs through `runuser`.
 */
export class PostgresServerProcess {
  /** Clusters still running: pg_ctl detaches them, so a test process that exits without destroy() stops them here. */
  private static readonly live = new Set<PostgresServerProcess>();
  private static exitHookInstalled = false;
  private running = false;

  private constructor(
    readonly port: number,
    private readonly binDir: string,
    private readonly dir: string,
  ) {}

  static async start(options: PostgresServerOptions = {}): Promise<PostgresServerProcess> {
    const binDir = options.binDir ?? binDirFromEnvironment();
    const dir = await mkdtemp(path.join(tmpdir(), "wh-pg-"));
    const server = new PostgresServerProcess(await freePort(), binDir, dir);
    try {
      await mkdir(server.socketDir, { mode: 0o700 });
      if (runsAsRoot()) {
        const { uid, gid } = await postgresOsUser();
        await Promise.all([dir, server.socketDir].map((folder) => chown(folder, uid, gid)));
      }
      await server.serverCommand("initdb", [
        "-D", server.dataDir, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=trust", "--no-sync",
      ]);
      await server.resume();
      return server;
    } catch (error) {
      await server.destroy().catch(() => undefined);
      throw error;
    }
  }

  /** A connection URL for one database of this cluster (trust auth; the password is ignored). */
  url(database = "postgres"): string {
    return `postgresql://postgres:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (again) on the same port and data folder; waits until it accepts connections. */
  async resume(): Promise<void> {
    const serverOptions = [
      `-p ${this.port}`,
      "-c listen_addresses=127.0.0.1",
      `-k ${this.socketDir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    PostgresServerProcess.trackLive(this);
    await this.serverCommand("pg_ctl", [
      "start", "-D", this.dataDir, "-w", "-t", "30", "-l", this.logFile, "-o", serverOptions,
    ]);
    this.running = true;
  }

  /** Fast shutdown (open transactions roll back, clients are disconnected), as an operator's restart. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.serverCommand("pg_ctl", ["stop", "-D", this.dataDir, "-m", "fast", "-w", "-t", "30"]);
    this.running = false;
  }

  /** Stops the server (immediate mode if a fast stop fails) and deletes its folder. Safe to call twice. */
  async destroy(): Promise<void> {
    // postmaster.pid also covers a server whose start timed out after all.
    if (this.running || existsSync(path.join(this.dataDir, "postmaster.pid"))) {
      await this.serverCommand("pg_ctl", ["stop", "-D", this.dataDir, "-m", "fast", "-w", "-t", "30"]).catch(() =>
        this.serverCommand("pg_ctl", ["stop", "-D", this.dataDir, "-m", "immediate", "-w", "-t", "30"]).catch(() => undefined),
      );
      this.running = false;
    }
    await rm(this.dir, { recursive: true, force: true });
    PostgresServerProcess.live.delete(this);
  }

  private static trackLive(server: PostgresServerProcess): void {
    if (!PostgresServerProcess.exitHookInstalled) {
      PostgresServerProcess.exitHookInstalled = true;
      process.once("exit", PostgresServerProcess.stopAllNow);
    }
    PostgresServerProcess.live.add(server);
  }

  /** Last resort on process exit (synchronous): immediate stop and delete of every cluster left. */
  private static stopAllNow(): void {
    for (const server of PostgresServerProcess.live) {
      const [file, argv] = server.commandLine("pg_ctl", ["stop", "-D", server.dataDir, "-m", "immediate", "-w", "-t", "10"]);
      try {
        execFileSync(file, argv, { cwd: "/", stdio: "ignore", timeout: 15_000 });
      } catch {
        // not running
      }
      rmSync(server.dir, { recursive: true, force: true });
    }
    PostgresServerProcess.live.clear();
  }

  private get dataDir(): string {
    return path.join(this.dir, "data");
  }

  private get socketDir(): string {
    return path.join(this.dir, "run");
  }

  private get logFile(): string {
    return path.join(this.dir, "postgres.log");
  }

  private commandLine(binary: string, args: string[]): [string, string[]] {
    return postgresCommandLine(path.join(this.binDir, binary), args);
  }

  /** Runs a Postgres binary, as the `postgres` user when we are root, from / (a cwd it can enter). */
  private async serverCommand(binary: string, args: string[]): Promise<void> {
    const [file, argv] = this.commandLine(binary, args);
    try {
      await run(file, argv, { cwd: "/", timeout: 60_000 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      const detail = `${stderr ?? ""}${stdout ?? ""}`.trim().split("\n").slice(-10).join("\n");
      throw new Error(`${binary} ${args[0] ?? ""} failed: ${detail || String(error)}`);
    }
  }
}

function binDirFromEnvironment(): string {
  const fromEnv = process.env.WH_PG_BIN;
  if (fromEnv && existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const found = findPostgresBin();
  if (!found) throw new Error("no Postgres binaries: set WH_PG_BIN, or run `bash scripts/services.sh start` once (it installs them)");
  return found;
}
