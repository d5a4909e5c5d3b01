import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { AptInstaller } from "./apt-installer";
import { pidAlive, pidCommandLine, pidRuns, readPidFile, sendSignal } from "./process-alive";
import { runCommand } from "./run-command";
import { logTail, serviceLog, ServiceError, showLogFile } from "./service-log";
import { redisAnswers, redisCommand, tcpProbe } from "./service-probes";
import { waitFor, waitUntil } from "./wait-for";

const READY_TIMEOUT_MS = 10_000;

/**
 * The project-local Redis: a redis-server daemon on 127.0.0.1:<port> with production's settings
 * (AOF everysec, noeviction), data and pid file in `<dataDir>/redis`. It is "ours" when its
 * `CONFIG GET dir` is that folder.
 */
export class LocalRedis {
  readonly dir: string;

  constructor(
    dataDir: string,
    readonly port: number,
  ) {
    this.dir = path.join(dataDir, "redis");
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private get pidFile(): string {
    return path.join(this.dir, "redis.pid");
  }

  private get logFile(): string {
    return path.join(this.dir, "redis.log");
  }

  /** Starts it unless it runs already; resolves with its URL. Idempotent. */
  async start(installer: AptInstaller): Promise<string> {
    await installer.ensure([
      { command: "redis-server", aptPackage: "redis-server" },
      { command: "redis-cli", aptPackage: "redis-server" },
    ]);
    mkdirSync(this.dir, { recursive: true });
    if (await redisAnswers(this.url)) {
      const otherDir = await this.servedDir();
      if (otherDir === this.dir) return this.ready("already running");
      throw new ServiceError(
        `port ${this.port} on 127.0.0.1 is served by another Redis (dir: ${otherDir ?? "unknown"}), not this project's. Stop it or set WH_REDIS_PORT to a free port.`,
      );
    }
    const pid = readPidFile(this.pidFile);
    if (pid !== undefined && pidRuns(pid, "redis")) {
      const runningPort = pidPort(pid);
      if (runningPort !== undefined && runningPort !== this.port) {
        throw new ServiceError(
          `this project's Redis (pid ${pid}) is running on port ${runningPort}, but the requested port is ${this.port} (WH_REDIS_PORT). Run 'scripts/services.sh stop' first, then retry.`,
        );
      }
      // maybe still loading the AOF
      if (await this.waitUntilAnswering(pid)) return this.ready("already running");
      if (pidAlive(pid)) {
        showLogFile(this.logFile);
        throw new ServiceError(
          `this project's Redis (pid ${pid}, ${this.pidFile}) is running but does not answer PING on 127.0.0.1:${this.port} after ${READY_TIMEOUT_MS / 1000}s. Run 'scripts/services.sh stop' (or kill ${pid}) and retry; delete ${this.dir} only if its data is disposable.`,
        );
      }
      serviceLog(`redis pid ${pid} exited while waiting; starting a new one`);
      rmSync(this.pidFile, { force: true });
    } else if (existsSync(this.pidFile)) {
      serviceLog(`removing stale redis pid file ${this.pidFile} (pid ${pid ?? "?"} is not running)`);
      rmSync(this.pidFile, { force: true });
    }
    if (await tcpProbe("127.0.0.1", this.port)) {
      throw new ServiceError(
        `port ${this.port} on 127.0.0.1 is in use by a program that does not answer Redis PING. Free it or set WH_REDIS_PORT to another port.`,
      );
    }
    const started = await runCommand(
      "redis-server",
      [
        "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir,
        "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction", "--save", "",
        "--pidfile", this.pidFile, "--logfile", this.logFile, "--daemonize", "yes",
      ],
      { cwd: this.dir, timeoutMs: 30_000 },
    );
    if (started.code !== 0) {
      logTail(started.output, 20);
      showLogFile(this.logFile);
      throw new ServiceError(`redis-server failed to start (exit ${started.code})`);
    }
    if (await this.waitUntilAnswering()) return this.ready();
    showLogFile(this.logFile);
    throw new ServiceError(
      `redis did not answer PING on 127.0.0.1:${this.port} within ${READY_TIMEOUT_MS / 1000}s (see ${this.logFile}). Run 'scripts/services.sh stop' and retry.`,
    );
  }

  /** SHUTDOWN (AOF flushed), SIGTERM if that does not end it, SIGKILL after 10 s more. A Redis of another project is left alone. */
  async stop(): Promise<void> {
    let pid = readPidFile(this.pidFile);
    if (pid !== undefined && !pidRuns(pid, "redis")) pid = undefined;
    const port = (pid !== undefined ? pidPort(pid) : undefined) ?? this.port;
    const url = `redis://127.0.0.1:${port}`;
    let stopped = false;
    if (await redisAnswers(url)) {
      const otherDir = await this.servedDir(url);
      if (otherDir === this.dir) {
        await redisCommand(url, "SHUTDOWN").catch(() => undefined);
        await waitUntil(async () => (pid !== undefined ? !pidAlive(pid) : !(await tcpProbe("127.0.0.1", port))), 10_000);
        stopped = true;
      } else if (pid === undefined) {
        serviceLog(`redis on port ${port} is not this project's (dir: ${otherDir ?? "unknown"}); not stopping it`);
        return;
      }
    }
    if (pid !== undefined && pidAlive(pid)) {
      serviceLog(`redis pid ${pid} did not shut down via SHUTDOWN; sending SIGTERM`);
      sendSignal(pid, "SIGTERM");
      sendSignal(pid, "SIGCONT");
      if (!(await waitUntil(() => !pidAlive(pid), 10_000))) {
        serviceLog(`redis pid ${pid} ignored SIGTERM for 10 s; sending SIGKILL (AOF keeps data up to the last second)`);
        sendSignal(pid, "SIGKILL");
        await waitUntil(() => !pidAlive(pid), 2_000);
      }
      stopped = true;
    }
    rmSync(this.pidFile, { force: true });
    serviceLog(stopped ? `redis stopped (port ${port})` : `redis not running (port ${port})`);
  }

  /** One status line; `running` only when it answers and is ours. */
  async status(): Promise<{ running: boolean; line: string }> {
    const pid = readPidFile(this.pidFile);
    if ((await redisAnswers(this.url)) && (await this.servedDir()) === this.dir) {
      return { running: true, line: `redis:    running   ${this.url} (pid ${pid ?? "?"}, dir ${this.dir})` };
    }
    if (pid !== undefined && pidRuns(pid, "redis")) {
      return { running: false, line: `redis:    UNRESPONSIVE (pid ${pid} alive, no PING answer on port ${this.port})` };
    }
    const stale = existsSync(this.pidFile) ? `, stale pid file ${this.pidFile}` : "";
    return { running: false, line: `redis:    stopped   (port ${this.port}${stale})` };
  }

  private ready(how?: string): string {
    serviceLog(`redis ready at ${this.url}${how ? ` (${how})` : ""}`);
    return this.url;
  }

  /** Polls PING for up to 10 s; gives up early when `pid` (or the pid file's process) has died. */
  private async waitUntilAnswering(pid?: number): Promise<boolean> {
    const outcome = await waitFor(
      `redis on port ${this.port}`,
      async () => {
        if (await redisAnswers(this.url)) return "answers";
        const watched = pid ?? readPidFile(this.pidFile);
        return watched !== undefined && !pidAlive(watched) && "exited";
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
    ).catch(() => "silent");
    return outcome === "answers";
  }

  private async servedDir(url = this.url): Promise<string | undefined> {
    const reply = await redisCommand(url, "CONFIG", ["GET", "dir"]).catch(() => undefined);
    return Array.isArray(reply) && typeof reply[1] === "string" ? reply[1] : undefined;
  }

}

/** The port a redis-server listens on, from its process title ("redis-server 127.0.0.1:6390"). */
function pidPort(pid: number): number | undefined {
  const match = /:(\d+)/.exec(pidCommandLine(pid) ?? "");
  return match ? Number(match[1]) : undefined;
}

