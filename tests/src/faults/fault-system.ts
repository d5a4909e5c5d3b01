import { allWebhookQueues, closeWebhookQueues, createWebhookQueues, createWorkerConnection, type WebhookQueues } from "@wh/queue";
import {
  AppProcess,
  PostgresServerProcess,
  RedisServerProcess,
  TEST_CLERK_SECRET,
  TEST_STRIPE_SECRET,
  uniqueQueuePrefix,
  waitFor,
} from "@wh/testkit";
import { FaultDatabase } from "./fault-database";
import { LoadDriver } from "./load-driver";

/** Worker settings under which a dead worker's jobs are re-run within seconds, not minutes. */
const FAST_RECOVERY_WORKER_ENV: Record<string, string> = {
  JOB_TIMEOUT_MS: "2000",
  LOCK_DURATION_MS: "5000",
  STALLED_INTERVAL_MS: "2000",
  MAX_STALLED_COUNT: "10",
};

type Redis = ReturnType<typeof createWorkerConnection>;

const JOB_STATES = ["active", "wait", "delayed", "prioritized", "paused", "waiting-children", "completed", "failed"] as const;
type JobState = (typeof JOB_STATES)[number];

export interface FaultSystemOptions {
  postgres: PostgresServerProcess;
  receiverEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
}

/**
 * The system under test as real processes on private servers: a Redis of its own and a fresh
 * database on the file's private Postgres (a test may stop either), the built receiver and a
 * worker. The worker can be killed and replaced while the receiver keeps running.
 */
export class FaultSystem {
  readonly load: LoadDriver;
  private readonly apps: AppProcess[] = [];
  /** Workers started and not stopped, oldest first; the newest is `worker`. */
  private readonly runningWorkers: AppProcess[] = [];

  private constructor(
    readonly postgres: PostgresServerProcess,
    readonly redis: RedisServerProcess,
    readonly db: FaultDatabase,
    readonly queues: WebhookQueues,
    private readonly connection: Redis,
    private readonly workerEnv: Record<string, string>,
    readonly receiver: AppProcess,
  ) {
    this.load = new LoadDriver(() => this.receiver.url);
    this.apps.push(receiver);
  }

  /** Starts everything; on failure stops what already started. */
  static async start(options: FaultSystemOptions): Promise<FaultSystem> {
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const redis = await RedisServerProcess.start();
      cleanups.push(() => redis.destroy());
      const db = await FaultDatabase.create(options.postgres);
      cleanups.push(() => db.close());
      const queuePrefix = uniqueQueuePrefix();
      const connection = createWorkerConnection(redis.url);
      connection.on("error", () => undefined);
      const queues = createWebhookQueues(connection, queuePrefix);
      for (const queue of allWebhookQueues(queues)) queue.on("error", () => undefined);
      cleanups.push(async () => {
        await closeWebhookQueues(queues);
        connection.disconnect();
      });
      const common = { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: "warn" };
      const receiver = await AppProcess.start("receiver", {
        ...common,
        STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET,
        CLERK_WEBHOOK_SECRET: TEST_CLERK_SECRET,
        ...options.receiverEnv,
      });
      cleanups.push(() => stopApp(receiver, "SIGKILL"));
      const workerEnv = {
        ...common,
        DATABASE_URL: db.url,
        DATABASE_POOL_MAX: "10",
        WORKER_CONCURRENCY: "4",
        ...FAST_RECOVERY_WORKER_ENV,
        ...options.workerEnv,
      };
      const system = new FaultSystem(options.postgres, redis, db, queues, connection, workerEnv, receiver);
      cleanups.length = 0;
      try {
        await system.startWorker();
      } catch (error) {
        await system.close();
        throw error;
      }
      return system;
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get worker(): AppProcess {
    const worker = this.runningWorkers.at(-1);
    if (!worker) throw new Error("no worker running");
    return worker;
  }

  /**
   * A new worker with the same environment (same queues, same database), next to those already
   * running; with WORKER_PROCESSES in the worker environment, a supervisor of that many processes.
   */
  async startWorker(): Promise<AppProcess> {
    const worker = await AppProcess.start("worker", this.workerEnv);
    this.apps.push(worker);
    this.runningWorkers.push(worker);
    return worker;
  }

  /** Signals the newest worker and waits (bounded) for its exit code; null when a signal ended it. */
  async stopWorker(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<number | null> {
    const worker = this.worker;
    this.runningWorkers.pop();
    return stopApp(worker, signal, timeoutMs);
  }

  /** Where each running worker serves /metrics and /readyz. */
  workerUrls(): string[] {
    return this.runningWorkers.map((worker) => worker.url);
  }

  /** The worker processes forked by every running worker supervisor. */
  workerProcessPids(): number[] {
    return this.runningWorkers.flatMap((worker) => worker.childPids());
  }

  /** Job counts of both provider queues together. */
  async jobCounts(): Promise<Record<JobState, number>> {
    const perQueue = await Promise.all(allWebhookQueues(this.queues).map((queue) => queue.getJobCounts(...JOB_STATES)));
    const total = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const counts of perQueue) for (const state of JOB_STATES) total[state] += counts[state] ?? 0;
    return total;
  }

  /**
   * Waits until no job is left to run (nothing waiting, active or delayed), so re-runs of
   * interrupted jobs have happened before effects are counted; then, briefly, for `expected`
   * settled ledger rows. It does not fail when rows are missing: a job that went to the failed
   * set or never reached Redis will not settle, and the verdict names it.
   */
  async drain(expected: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      "queues to be idle",
      async () => {
        this.assertWorkerAlive();
        const counts = await this.jobCounts();
        return counts.active + counts.wait + counts.delayed + counts.prioritized + counts.paused === 0;
      },
      { timeoutMs, intervalMs: 200 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker log tail ---\n${tail(this.runningWorkers.at(-1)?.logs() ?? "")}`);
    });
    await waitFor(`${expected} settled ledger rows`, async () => (await this.db.settledCount()) >= expected, {
      timeoutMs: 5_000,
      intervalMs: 100,
    }).catch(() => undefined);
  }

  /**
   * How the completed jobs ran. BullMQ counts a run when a job becomes active (attemptsStarted)
   * and an attempt when a run ends in success or failure (attemptsMade), so the difference is
   * runs that never ended: abandoned by a dead or stopping worker (then re-run as stalled), or
   * handed back by the worker's pause on a database outage.
   */
  async jobRuns(): Promise<{ interrupted: number; retriedAfterFailure: number; foundSettled: number }> {
    const runs = { interrupted: 0, retriedAfterFailure: 0, foundSettled: 0 };
    for (const queue of allWebhookQueues(this.queues)) {
      for (const job of await queue.getJobs(["completed"], 0, -1)) {
        runs.interrupted += Math.max(0, job.attemptsStarted - job.attemptsMade);
        if (job.attemptsMade > 1) runs.retriedAfterFailure++;
        if ((job.returnvalue as { alreadySettled?: boolean } | null)?.alreadySettled) runs.foundSettled++;
      }
    }
    return runs;
  }

  /** Sum of every sample of one counter on the current worker's /metrics (0 when it has none yet). */
  async workerMetric(name: string): Promise<number> {
    const text = await (await fetch(`${this.worker.url}/metrics`)).text();
    return text
      .split("\n")
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
  }

  assertWorkerAlive(): void {
    for (const worker of this.runningWorkers) {
      if (worker.pid === undefined) continue;
      try {
        process.kill(worker.pid, 0);
      } catch {
        throw new Error(`worker ${worker.pid} exited unexpectedly:\n${tail(worker.logs())}`);
      }
    }
  }

  /** Stops every process and server; never throws, so cleanup always completes. */
  async close(): Promise<void> {
    this.load.abort();
    await Promise.all(this.apps.map((app) => stopApp(app, "SIGTERM", 5_000).catch(() => undefined)));
    await closeWebhookQueues(this.queues).catch(() => undefined);
    this.connection.disconnect();
    await this.db.close().catch(() => undefined);
    await this.redis.destroy().catch(() => undefined);
  }
}

/** Sends a signal and waits at most `timeoutMs` for the exit, then kills. */
export async function stopApp(app: AppProcess, signal: NodeJS.Signals, timeoutMs = 10_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const code = await Promise.race([app.stop(signal), timedOut]);
    if (code !== "timeout") return code;
    await app.stop("SIGKILL");
    throw new Error(`${app.name} did not exit within ${timeoutMs} ms of ${signal}:\n${tail(app.logs())}`);
  } finally {
    clearTimeout(timer);
  }
}

function tail(logs: string, lines = 30): string {
  return logs.trimEnd().split("\n").slice(-lines).join("\n");
}
