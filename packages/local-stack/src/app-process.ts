import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * Where app processes write their full logs: the run's folder when a jest global setup made one
 * (`WH_APP_LOG_DIR`, scanned for personal data at teardown), else a temp folder of this process.
 */
export const APP_LOG_DIR_VARIABLE = "WH_APP_LOG_DIR";

let ownLogDir: string | undefined;
function appLogDir(): string {
  const runDir = process.env[APP_LOG_DIR_VARIABLE];
  if (runDir) return runDir;
  ownLogDir ??= mkdtempSync(path.join(tmpdir(), "wh-app-logs-"));
  return ownLogDir;
}

export type AppName = "receiver" | "worker" | "dashboard";

/**
 * A built app (apps/<name>/dist/main.js) as a real child process on free loopback ports, for
 * end-to-end and fault tests. The full log goes to a file (`logFile`); the last lines are also
 * kept in memory for assertions and error messages. It inherits this process's environment,
 * then `env`, then its ports.
 */
export class AppProcess {
  private readonly output: string[] = [];
  private readonly exited: Promise<number | null>;
  private readonly logStream: WriteStream;

  protected constructor(
    readonly name: AppName,
    readonly port: number,
    /** The port of /readyz and /metrics: the receiver's ops listener, the worker's only port. */
    readonly opsPort: number,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.logStream = createWriteStream(logFile, { flags: "a" });
    const capture = (chunk: Buffer) => {
      this.logStream.write(chunk);
      this.output.push(chunk.toString());
      if (this.output.length > 2_000) this.output.splice(0, 1_000);
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    // 'close' comes after both pipes are drained, so the file holds every line.
    this.exited = new Promise((resolve) =>
      child.once("close", (code) => {
        this.logStream.end(() => resolve(code));
      }),
    );
  }

  /** Spawns the app and returns at once: for tests that expect it to stop by itself. */
  static async launch(name: AppName, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const portVariables =
      name === "receiver"
        ? { RECEIVER_PORT: String(port), RECEIVER_OPS_PORT: env.RECEIVER_OPS_PORT ?? String(await freePort()) }
        : name === "dashboard"
          ? { DASHBOARD_PORT: String(port) }
          : { WORKER_PORT: String(port) };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "apps", name, "dist", "main.js")], {
      env: { ...process.env, LOG_LEVEL: "info", ...env, ...portVariables },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const opsPort = name === "receiver" ? Number(portVariables.RECEIVER_OPS_PORT) : port;
    const logFile = path.join(appLogDir(), `${name}-${child.pid ?? port}-${Date.now()}.log`);
    return new AppProcess(name, port, opsPort, child, logFile);
  }

  /** Spawns the app and waits until it answers /healthz. */
  static async start(name: AppName, env: Record<string, string>): Promise<AppProcess> {
    const app = await this.launch(name, env);
    await waitFor(`${name} /healthz`, async () => {
      if (app.child.exitCode !== null) {
        throw new Error(`${name} exited with ${app.child.exitCode} (full log: ${app.logFile}):\n${app.logs()}`);
      }
      const response = await fetch(`${app.url}/healthz`).catch(() => undefined);
      return response?.ok === true;
    }, { timeoutMs: 30_000 });
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where /readyz and /metrics are. */
  get opsUrl(): string {
    return `http://127.0.0.1:${this.opsPort}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Pids of the processes this app forked (a worker supervisor's worker processes), from `pgrep -P`. */
  childPids(): number[] {
    if (this.child.pid === undefined) return [];
    try {
      return execFileSync("pgrep", ["-P", String(this.child.pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
    } catch {
      return []; // pgrep exits 1 when there is none
    }
  }

  logs(): string {
    return this.output.join("");
  }

  /** Resolves with the exit code once the process has ended by itself (null when killed by a signal). */
  exitCode(): Promise<number | null> {
    return this.exited;
  }

  /** Sends a signal and waits for the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
