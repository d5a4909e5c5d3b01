import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

export interface RedisClusterOptions {
  /** One port per master (three by default); free ports when omitted. */
  ports?: readonly number[];
  /** Each master keeps its AOF and `nodes.conf` in `<dataDir>/<port>` (a temp folder when omitted, removed by destroy). */
  dataDir?: string;
}

const DEFAULT_MASTERS = 3;

/**
 * A local Redis Cluster of masters only (`--cluster-enabled yes` each, then `redis-cli --cluster
 * create … --cluster-replicas 0 --cluster-yes`), with production's settings (AOF everysec,
 * noeviction). Started again on a data folder that holds a cluster, its masters rejoin it.
 */
export class RedisClusterProcess {
  private readonly children: ChildProcess[] = [];

  private constructor(
    readonly ports: readonly number[],
    private readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {}

  static async start(options: RedisClusterOptions = {}): Promise<RedisClusterProcess> {
    const ports = options.ports ?? (await Promise.all(Array.from({ length: DEFAULT_MASTERS }, () => freePort())));
    const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "wh-redis-cluster-")));
    const cluster = new RedisClusterProcess(ports, dataDir, options.dataDir === undefined);
    await cluster.resume();
    return cluster;
  }

  /** `REDIS_URL` of the cluster: every app and tool switches to ioredis' Cluster client on it. */
  get url(): string {
    return `redis+cluster://${this.ports.map((port) => `127.0.0.1:${port}`).join(",")}`;
  }

  /** Starts every master, creates the cluster unless it already exists, and waits for `cluster_state:ok`. */
  async resume(): Promise<void> {
    for (const port of this.ports) {
      const dir = path.join(this.dataDir, String(port));
      await mkdir(dir, { recursive: true });
      this.children.push(
        spawn(
          "redis-server",
          [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
            "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
          ],
          { stdio: "ignore" },
        ),
      );
    }
    await Promise.all(
      this.ports.map((port) =>
        waitFor(`redis on port ${port}`, async () => (await this.command(port, "PING").catch(() => "")) === "PONG", { timeoutMs: 10_000, intervalMs: 50 }),
      ),
    );
    if (!(await this.isCreated())) {
      await run("redis-cli", ["--cluster", "create", ...this.ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "0", "--cluster-yes"]);
    }
    await waitFor("cluster_state:ok on every master", async () => (await Promise.all(this.ports.map((port) => this.isOk(port)))).every(Boolean), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  }

  /** Runs one command on one master with redis-cli (e.g. CLUSTER KEYSLOT, CLUSTER NODES); resolves with its output. */
  command(port: number, ...args: string[]): Promise<string> {
    return run("redis-cli", ["-p", String(port), ...args]);
  }

  /** The port of the master that serves `slot`, from `CLUSTER NODES`. */
  async masterOfSlot(slot: number): Promise<number> {
    const nodes = await this.command(this.ports[0]!, "CLUSTER", "NODES");
    for (const line of nodes.split("\n")) {
      const [, address, flags, , , , , , ...ranges] = line.split(" ");
      if (!flags?.includes("master") || !address) continue;
      const port = Number(address.split("@")[0]!.split(":")[1]);
      for (const range of ranges) {
        const [low, high = low] = range.split("-").map(Number);
        if (low !== undefined && high !== undefined && slot >= low && slot <= high) return port;
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** Graceful shutdown of every master (SHUTDOWN, AOF flushed). */
  async stop(): Promise<void> {
    const running = this.children.splice(0).filter((child) => child.exitCode === null);
    await Promise.all(
      running.map((child) => {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        return exited;
      }),
    );
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  private async isCreated(): Promise<boolean> {
    const info = await this.command(this.ports[0]!, "CLUSTER", "INFO");
    return /^cluster_known_nodes:(\d+)/m.exec(info)?.[1] === String(this.ports.length);
  }

  private async isOk(port: number): Promise<boolean> {
    return (await this.command(port, "CLUSTER", "INFO").catch(() => "")).includes("cluster_state:ok");
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}
