import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "./free-port";
import { TEST_JOB_SIGNING_KEY } from "./test-secrets";
import { waitFor } from "./wait-for";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export type AppName = "receiver" | "worker";

/**
 * A built app (apps/<name>/dist/main.js) as a real child process on a free loopback port, for
 * end-to-end and fault tests. Logs are kept in memory and printed only when asked.
 */
export class AppProcess {
  private readonly output: string[] = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly name: AppName,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    const capture = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 2_000) this.output.splice(0, 1_000);
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static async start(name: AppName, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const portVariable = name === "receiver" ? "RECEIVER_PORT" : "WORKER_PORT";
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "apps", name, "dist", "main.js")], {
      env: { ...process.env, LOG_LEVEL: "info", JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY, ...env, [portVariable]: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const app = new AppProcess(name, port, child);
    await waitFor(`${name} /healthz`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${app.logs()}`);
      const response = await fetch(`${app.url}/healthz`).catch(() => undefined);
      return response?.ok === true;
    }, { timeoutMs: 30_000 });
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  logs(): string {
    return this.output.join("");
  }

  /** Sends a signal and waits for the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
