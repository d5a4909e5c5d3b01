import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AptInstaller } from "./apt-installer";
import { findPostgresBin, postgresBinVersion, postgresCommandLine, postgresOsUser, POSTGRES_OS_USER } from "./postgres-binaries";
import { commandExists, pidAlive, readPidFile, runsAsRoot, sendSignal } from "./process-alive";
import { runCommand, type CommandResult } from "./run-command";
import { logTail, serviceLog, ServiceError, showLogFile } from "./service-log";
import { maskUrl, postgresQuery, tcpProbe } from "./service-probes";
import { waitUntil } from "./wait-for";

const START_TIMEOUT_S = 30;
const DATABASE = "webhooks";

/** Where a cluster lives: under the project's .data/, or under /var/lib/postgresql when the postgres user cannot reach it. */
export interface PostgresLayout {
  base: string;
  data: string;
  log: string;
  socket: string;
  /** The project folder is not traversable by the postgres user (e.g. a clone under /root). */
  fallback: boolean;
}

type ClusterState = { state: "running" | "stopped" | "error"; pid?: number; port?: number; stale: boolean };

/**
 * The project-local Postgres: a cluster (initdb once) on 127.0.0.1:<port> with a `webhooks`
 * database, password `postgres` over TCP. As root, its folder belongs to the postgres OS user and
 * every server command runs through `runuser`.
 */
export class LocalPostgres {
  constructor(
    private readonly root: string,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.port}/${DATABASE}`;
  }

  /** Starts it unless it runs already (installing, initdb as needed); resolves with its URL and bin folder. Idempotent. */
  async start(installer: AptInstaller): Promise<{ url: string; binDir: string }> {
    let binDir = findPostgresBin();
    if (binDir === undefined) {
      await installer.install(["postgresql"]);
      binDir = findPostgresBin();
      if (binDir === undefined) throw new ServiceError("no PostgreSQL found under /usr/lib/postgresql/*/bin even after installing postgresql");
    }
    if (runsAsRoot()) {
      await postgresOsUser().catch(() => {
        throw new ServiceError(`the '${POSTGRES_OS_USER}' OS user does not exist (Postgres refuses to run as root); reinstall the postgresql package`);
      });
      if (!commandExists("runuser")) throw new ServiceError("runuser (util-linux) is required when running as root");
    }
    const layout = await this.layout();
    if (layout.fallback) serviceLog(`${this.root} is not traversable by the postgres user; using ${layout.base} for postgres data`);
    await this.prepareFolders(layout);
    binDir = await this.binariesFor(layout, binDir);
    if (!existsSync(path.join(layout.data, "PG_VERSION"))) await this.initdb(layout, binDir);

    const state = await this.clusterState(binDir, layout);
    let reused: boolean;
    if (state.state === "running") {
      if (state.port !== undefined && state.port !== this.port) {
        throw new ServiceError(
          `this project's Postgres (pid ${state.pid}) is running on port ${state.port}, but the requested port is ${this.port} (WH_PG_PORT). Run 'scripts/services.sh stop' first, then retry.`,
        );
      }
      if (!(await this.waitReady(binDir, START_TIMEOUT_S * 1000, state.pid))) {
        showLogFile(layout.log);
        throw new ServiceError(
          state.pid !== undefined && !pidAlive(state.pid)
            ? `this project's Postgres (pid ${state.pid}) exited while waiting for it (log ${layout.log}). Retry 'scripts/services.sh start'.`
            : `this project's Postgres (pid ${state.pid ?? "?"}, data ${layout.data}) is running but does not accept connections on 127.0.0.1:${this.port} after ${START_TIMEOUT_S}s. Run 'scripts/services.sh stop' and retry; delete ${layout.data} only if its data is disposable.`,
        );
      }
      reused = true;
    } else if (state.state === "stopped") {
      this.removeStaleFiles(layout, state);
      if (await this.portBusy(binDir)) {
        throw new ServiceError(`port ${this.port} on 127.0.0.1 is already in use by another server. Stop it or set WH_PG_PORT to a free port.`);
      }
      const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k '${layout.socket}' -c max_connections=200`;
      const started = await this.asPostgres(binDir, "pg_ctl", ["start", "-D", layout.data, "-w", "-t", String(START_TIMEOUT_S), "-l", layout.log, "-o", options]);
      if (started.code !== 0) {
        logTail(started.output, 5);
        showLogFile(layout.log);
        throw new ServiceError(
          `postgres failed to start (pg_ctl -t ${START_TIMEOUT_S} exit ${started.code}; data ${layout.data}, log ${layout.log}). Fix the cause shown above, or run 'scripts/services.sh stop' and retry.`,
        );
      }
      if (!(await this.waitReady(binDir, 10_000))) {
        showLogFile(layout.log);
        throw new ServiceError(`postgres started but does not accept TCP connections on 127.0.0.1:${this.port} (log ${layout.log})`);
      }
      reused = false;
    } else {
      throw new ServiceError(`pg_ctl status failed for ${layout.data}; is it readable by the postgres user?`);
    }

    await this.createDatabase();
    serviceLog(`postgres ready at ${maskUrl(this.url)} (${reused ? "already running; " : ""}data ${layout.data})`);
    return { url: this.url, binDir };
  }

  /** Fast shutdown; immediate if that does not finish; SIGKILL as the last resort. */
  async stop(): Promise<void> {
    const installed = findPostgresBin();
    if (installed === undefined || (runsAsRoot() && !(await hasPostgresUser()))) {
      serviceLog("postgres not running (not installed)");
      return;
    }
    const layout = await this.layout();
    if (!existsSync(path.join(layout.data, "PG_VERSION"))) {
      serviceLog(`postgres not running (no cluster in ${layout.data})`);
      return;
    }
    const binDir = findPostgresBin(clusterVersion(layout)) ?? installed;
    const state = await this.clusterState(binDir, layout);
    if (state.state !== "running") {
      this.removeStaleFiles(layout, state);
      serviceLog(`postgres not running (data ${layout.data})`);
      return;
    }
    const pid = state.pid;
    // a SIGSTOPped postmaster would never act on the shutdown signal
    if (pid !== undefined) sendSignal(pid, "SIGCONT");
    const fast = await this.asPostgres(binDir, "pg_ctl", ["stop", "-D", layout.data, "-m", "fast", "-w", "-t", String(START_TIMEOUT_S)]);
    if (fast.code !== 0) {
      serviceLog(`fast shutdown did not finish in ${START_TIMEOUT_S}s; trying immediate shutdown`);
      const immediate = await this.asPostgres(binDir, "pg_ctl", ["stop", "-D", layout.data, "-m", "immediate", "-w", "-t", "10"]);
      if (immediate.code !== 0 && pid !== undefined && pidAlive(pid)) {
        serviceLog(`postgres pid ${pid} does not shut down; sending SIGKILL (crash recovery will run on next start)`);
        sendSignal(pid, "SIGKILL");
        if (!(await waitUntil(() => !pidAlive(pid), 10_000))) {
          throw new ServiceError(`could not stop postgres pid ${pid} (data ${layout.data}): ${immediate.output.trim().split("\n").pop() ?? ""}`);
        }
      }
    }
    serviceLog(`postgres stopped (data ${layout.data})`);
  }

  /** One status line; `running` only when it accepts connections. */
  async status(): Promise<{ running: boolean; line: string }> {
    const binDir = findPostgresBin();
    if (binDir === undefined) return { running: false, line: "postgres: not installed" };
    const layout = await this.layout();
    if (!existsSync(path.join(layout.data, "PG_VERSION"))) {
      return { running: false, line: `postgres: stopped   (no cluster yet in ${layout.data})` };
    }
    if (runsAsRoot() && !(await hasPostgresUser())) return { running: false, line: "postgres: stopped   (no postgres user)" };
    const state = await this.clusterState(binDir, layout);
    if (state.state !== "running") {
      const stale = state.pid !== undefined ? ", stale postmaster.pid" : "";
      return { running: false, line: `postgres: stopped   (port ${this.port}, data ${layout.data}${stale})` };
    }
    if (await this.isReady(binDir)) {
      return {
        running: true,
        line: `postgres: running   ${maskUrl(this.url)} (pid ${state.pid ?? "?"}, data ${layout.data})`,
      };
    }
    return { running: false, line: `postgres: UNRESPONSIVE (pid ${state.pid ?? "?"} alive, not accepting connections on port ${this.port})` };
  }

  /** .data/postgres, unless (as root) the postgres user cannot traverse the project or .data/. */
  async layout(): Promise<PostgresLayout> {
    const hash = createHash("sha256").update(this.root).digest("hex").slice(0, 10);
    let base = path.join(this.dataDir, "postgres");
    let fallback = false;
    if (runsAsRoot()) {
      const reachable =
        (await this.postgresCan("-x", this.root)) && (!existsSync(this.dataDir) || (await this.postgresCan("-x", this.dataDir)));
      if (!reachable) {
        base = `/var/lib/postgresql/wh-${hash}`;
        fallback = true;
      }
    }
    const socket = path.join(base, "run");
    // unix socket paths are limited to ~107 bytes
    return {
      base,
      data: path.join(base, "data"),
      log: path.join(base, "postgres.log"),
      socket: socket.length + 20 > 100 ? `/tmp/wh-pg-${hash}` : socket,
      fallback,
    };
  }

  /** The data area belongs to the postgres user (or to us when not root), mode 700. */
  private async prepareFolders(layout: PostgresLayout): Promise<void> {
    if (layout.base.startsWith(`${this.dataDir}${path.sep}`)) {
      mkdirSync(this.dataDir, { recursive: true });
      chmodSync(this.dataDir, 0o755);
    }
    if (layout.socket.includes("'")) throw new ServiceError(`the socket folder path contains a single quote, unsupported: ${layout.socket}`);
    for (const folder of [layout.base, layout.socket]) {
      mkdirSync(folder, { recursive: true });
      chmodSync(folder, 0o700);
    }
    if (!runsAsRoot()) return;
    const { uid, gid } = await postgresOsUser();
    for (const folder of [layout.base, layout.socket]) chownSync(folder, uid, gid);
    if (existsSync(layout.data) && statSync(layout.data).uid !== uid) {
      serviceLog(`fixing ownership of ${layout.data} -> postgres`);
      const chown = await runCommand("chown", ["-R", `${POSTGRES_OS_USER}:${POSTGRES_OS_USER}`, layout.data]);
      if (chown.code !== 0) throw new ServiceError(`cannot chown ${layout.data}: ${chown.output.trim()}`);
    }
    if (!(await this.postgresCan("-w", layout.base))) throw new ServiceError(`${layout.base} is not writable by the postgres user`);
  }

  /** The binaries of the cluster's own version when it exists (an upgrade must not open an old cluster). */
  private async binariesFor(layout: PostgresLayout, newest: string): Promise<string> {
    const version = clusterVersion(layout);
    if (version === undefined || version === postgresBinVersion(newest)) return newest;
    const matching = findPostgresBin(version);
    if (matching === undefined) {
      throw new ServiceError(
        `cluster ${layout.data} was created by PostgreSQL ${version}, which is not installed (found ${postgresBinVersion(newest)}). Install postgresql-${version}, or run 'scripts/services.sh stop' and delete ${layout.data} to start fresh.`,
      );
    }
    return matching;
  }

  private async initdb(layout: PostgresLayout, binDir: string): Promise<void> {
    if (existsSync(layout.data) && readdirSync(layout.data).length > 0) {
      throw new ServiceError(`${layout.data} exists but is not an initialised cluster (no PG_VERSION; an interrupted initdb?). Delete ${layout.data} and retry.`);
    }
    const locales = (await runCommand("locale", ["-a"])).output.toLowerCase().split("\n");
    const locale = locales.includes("c.utf8") || locales.includes("c.utf-8") ? "C.UTF-8" : "C";
    const passwordFile = path.join(layout.base, ".pwfile");
    writeFileSync(passwordFile, "postgres\n", { mode: 0o600 });
    try {
      if (runsAsRoot()) {
        const { uid, gid } = await postgresOsUser();
        chownSync(passwordFile, uid, gid);
      }
      const result = await this.asPostgres(binDir, "initdb", [
        "-D", layout.data, "-U", "postgres", `--pwfile=${passwordFile}`, "-E", "UTF8", `--locale=${locale}`,
        "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
      ]);
      if (result.code !== 0) {
        logTail(result.output, 20);
        throw new ServiceError(`initdb failed (exit ${result.code}) for ${layout.data}`);
      }
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }

  /** `pg_ctl status` and postmaster.pid (pid: line 1, port: line 4); a zombie postmaster counts as stopped. */
  private async clusterState(binDir: string, layout: PostgresLayout): Promise<ClusterState> {
    const status = await this.asPostgres(binDir, "pg_ctl", ["status", "-D", layout.data]);
    const pidFile = path.join(layout.data, "postmaster.pid");
    const hasPidFile = existsSync(pidFile);
    const pid = readPidFile(pidFile, 0);
    const port = readPidFile(pidFile, 3);
    if (status.code === 0) {
      return pid !== undefined && !pidAlive(pid) ? { state: "stopped", pid, stale: true } : { state: "running", pid, port, stale: false };
    }
    if (status.code === 3) return { state: "stopped", pid, stale: hasPidFile };
    return { state: "error", stale: false };
  }

  /** A postmaster.pid and socket lock files left by a killed server (only in our own socket folder). */
  private removeStaleFiles(layout: PostgresLayout, state: ClusterState): void {
    if (state.stale) {
      serviceLog(`removing stale postgres pid file ${path.join(layout.data, "postmaster.pid")} (pid ${state.pid ?? "?"} is not running)`);
      rmSync(path.join(layout.data, "postmaster.pid"), { force: true });
    }
    if (!existsSync(layout.socket)) return;
    for (const name of readdirSync(layout.socket).filter((entry) => /^\.s\.PGSQL\.\d+\.lock$/.test(entry))) {
      const lockFile = path.join(layout.socket, name);
      const holder = readPidFile(lockFile);
      if (holder === undefined || !pidAlive(holder)) {
        rmSync(lockFile, { force: true });
        rmSync(lockFile.replace(/\.lock$/, ""), { force: true });
      }
    }
  }

  private async createDatabase(): Promise<void> {
    const serverUrl = `postgresql://postgres:postgres@127.0.0.1:${this.port}/postgres`;
    try {
      const rows = await postgresQuery(serverUrl, `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`);
      if (rows.length === 0) await postgresQuery(serverUrl, `CREATE DATABASE ${DATABASE}`);
    } catch (error) {
      throw new ServiceError(`cannot create the ${DATABASE} database on 127.0.0.1:${this.port}: ${(error as Error).message}`);
    }
  }

  /** pg_isready's exit code: 0 accepting, 1 rejecting (starting or stopping), 2 no answer. */
  private async pgIsReady(binDir: string): Promise<number> {
    const args = ["-q", "-h", "127.0.0.1", "-p", String(this.port), "-t", "3"];
    return (await runCommand(path.join(binDir, "pg_isready"), args, { timeoutMs: 5_000 })).code;
  }

  private async isReady(binDir: string): Promise<boolean> {
    return (await this.pgIsReady(binDir)) === 0;
  }

  /** Polls pg_isready; false after `timeoutMs`, or as soon as `pid` (when given) has died. */
  private async waitReady(binDir: string, timeoutMs: number, pid?: number): Promise<boolean> {
    let died = false;
    const ready = await waitUntil(async () => {
      if (await this.isReady(binDir)) return true;
      died = pid !== undefined && !pidAlive(pid);
      return died;
    }, timeoutMs);
    return ready && !died;
  }

  /** Something (not ours) listens on the port: pg_isready gets an answer, or a TCP connection opens. */
  private async portBusy(binDir: string): Promise<boolean> {
    const code = await this.pgIsReady(binDir);
    return code === 0 || code === 1 || (await tcpProbe("127.0.0.1", this.port));
  }

  private asPostgres(binDir: string, binary: string, args: string[]): Promise<CommandResult> {
    const [file, argv] = postgresCommandLine(path.join(binDir, binary), args);
    return runCommand(file, argv, { cwd: "/", timeoutMs: (START_TIMEOUT_S + 30) * 1000 });
  }

  /** `test <flag> <folder>` as the postgres user (root only). */
  private async postgresCan(flag: "-x" | "-w", folder: string): Promise<boolean> {
    return (await runCommand("runuser", ["-u", POSTGRES_OS_USER, "--", "test", flag, folder])).code === 0;
  }

}

function clusterVersion(layout: PostgresLayout): string | undefined {
  const file = path.join(layout.data, "PG_VERSION");
  return existsSync(file) ? readFileSync(file, "utf8").replace(/[^0-9.]/g, "") : undefined;
}

async function hasPostgresUser(): Promise<boolean> {
  return postgresOsUser().then(
    () => true,
    () => false,
  );
}
