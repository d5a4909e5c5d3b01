import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

export interface RedisServerOptions {
  /** `noeviction` (production's) unless a test needs a wrong one. */
  maxmemoryPolicy?: string;
}

/**
 * A throwaway redis-server for tests that stop, restart or kill Redis: never the one the run
 * command uses. Same production settings (AOF everysec, noeviction), data in a temp folder.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly maxmemoryPolicy: string,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
    const dir = await mkdtemp(path.join(tmpdir(), "wh-redis-"));
    const server = new RedisServerProcess(await freePort(), dir, options.maxmemoryPolicy ?? "noeviction");
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and data folder; AOF brings back what was written. */
  async resume(): Promise<void> {
    this.child = spawn(
      "redis-server",
      [
        "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "",
        "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", this.maxmemoryPolicy,
      ],
      { stdio: "ignore" },
    );
    await waitFor(`redis on port ${this.port}`, () => this.answers(), { timeoutMs: 10_000, intervalMs: 50 });
  }

  /** Runs one command on this server with redis-cli (e.g. CONFIG SET, CLIENT KILL); resolves with its output. */
  command(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile("redis-cli", ["-p", String(this.port), ...args], (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
    });
  }

  /** Graceful shutdown (SHUTDOWN, AOF flushed), as a restart by an operator would do. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ port: this.port, host: "127.0.0.1" });
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
      socket.once("error", () => resolve(false));
    });
  }
}
