import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { waitFor } from "@wh/local-stack";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface BenchProcessOptions {
  /** Short name, also the log file's name in the report folder. */
  name: string;
  /** Script path relative to the repository root (a built `dist/…/main.js`). */
  script: string;
  env: Record<string, string>;
  logDir: string;
  /** Node options before the script, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Ready when GET <url> answers 2xx, or when a line of stdout matches. */
  ready: { url: string } | { stdout: RegExp };
}

/**
 * A Node process of the benchmark (one of our built apps or a bare baseline), started with
 * exactly the environment given, its output in `<logDir>/<name>.log`. Unlike the tests'
 * AppProcess, output goes to a file (a profile run or a long one would not fit in memory) and
 * Node options can be set.
 */
export class BenchProcess {
  /** Children still running; killed when the benchmark exits, however it exits. */
  private static readonly live = new Set<ChildProcess>();
  private static exitHookInstalled = false;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    if (!BenchProcess.exitHookInstalled) {
      BenchProcess.exitHookInstalled = true;
      process.once("exit", BenchProcess.killAll);
    }
    BenchProcess.live.add(child);
    child.once("exit", () => BenchProcess.live.delete(child));
  }

  private static killAll(): void {
    for (const child of BenchProcess.live) child.kill("SIGKILL");
  }

  static async start(options: BenchProcessOptions): Promise<BenchProcess> {
    const logFile = path.join(options.logDir, `${options.name}.log`);
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(REPO_ROOT, options.script)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let sawReadyLine = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      if ("stdout" in options.ready && options.ready.stdout.test(chunk.toString())) sawReadyLine = true;
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const started = new BenchProcess(options.name, child, logFile);
    const ready = options.ready;
    const outcome = await waitFor(
      `${options.name} to be ready (log: ${logFile})`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return "exited";
        if ("stdout" in ready) return sawReadyLine && "ready";
        const response = await fetch(ready.url).catch(() => undefined);
        return response?.ok === true && "ready";
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    ).catch(async (error: Error) => {
      await started.stop();
      throw error;
    });
    if (outcome === "exited") throw new Error(`${options.name} exited before it was ready (log: ${logFile})`);
    return started;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.logFile;
  }

  /** SIGTERM, SIGKILL after `timeoutMs`; resolves with the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
