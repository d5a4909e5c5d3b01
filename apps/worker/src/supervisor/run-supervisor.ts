import cluster, { type Worker as ClusterWorker } from "node:cluster";
import type { Logger } from "@wh/core";
import { boundPort, closeServer, listen, opsEndpoints, opsListener, shutdownOnSignals } from "@wh/http";
import type { WorkerEnv } from "../env";
import { workerShutdownDeadlineMs } from "../run-worker-process";
import { nextDeathCount, restartDelayMs } from "./restart-backoff";
import { SupervisedProcesses } from "./supervisor-channel";
import { createSupervisorMetrics } from "./supervisor-metrics";

/** After the processes' own shutdown deadline, how long the supervisor waits before it SIGKILLs them. */
const STOP_MARGIN_MS = 2_000;
/** How long the supervisor waits for one process's answer (readiness, metrics). */
const ANSWER_TIMEOUT_MS = 2_000;

interface Slot {
  index: number;
  child?: ClusterWorker;
  startedAt: number;
  deaths: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * WORKER_PROCESSES > 1: this process forks that many worker processes (node:cluster, each the
 * whole worker with its own Redis connections and Postgres pool) and runs no jobs itself. It
 * restarts a process that dies, after a delay that doubles with each quick death (capped), and
 * serves the one ops port: `/metrics` aggregates the processes' metrics, `/readyz` is ready when
 * every process is running and ready. SIGTERM/SIGINT stop every process (each gets the worker's
 * shutdown deadline), then the supervisor exits. A process that loses its supervisor exits at
 * once (node:cluster); its jobs are re-run when their locks expire, as after a crash.
 */
export async function runSupervisor(env: WorkerEnv, log: Logger): Promise<void> {
  const processes = new SupervisedProcesses(ANSWER_TIMEOUT_MS);
  const metrics = createSupervisorMetrics(processes);
  const slots: Slot[] = Array.from({ length: env.WORKER_PROCESSES }, (_, index) => ({ index, startedAt: 0, deaths: 0 }));
  let stopping = false;

  const start = (slot: Slot) => {
    slot.restartTimer = undefined;
    const child = cluster.fork();
    slot.child = child;
    slot.startedAt = Date.now();
    processes.watch(child);
    log.info({ slot: slot.index, pid: child.process.pid }, "worker process started");
    child.once("exit", (code, signal) => {
      slot.child = undefined;
      if (stopping) return;
      slot.deaths = nextDeathCount(slot.deaths, Date.now() - slot.startedAt);
      const delayMs = restartDelayMs(slot.deaths);
      metrics.restarts.inc({ slot: String(slot.index) });
      log.error({ slot: slot.index, pid: child.process.pid, code, signal, delayMs, deaths: slot.deaths }, "worker process died, restarting");
      slot.restartTimer = setTimeout(() => start(slot), delayMs);
    });
  };
  slots.forEach(start);

  const ops = opsEndpoints({
    registry: metrics.registry,
    isReady: async () => {
      if (!slots.every((slot) => slot.child) || processes.listeningCount < slots.length) return false;
      return (await processes.readiness()).every(Boolean);
    },
  });
  const health = await listen(opsListener(ops), env.WORKER_PORT, env.WORKER_HOST);
  log.info({ port: boundPort(health), processes: env.WORKER_PROCESSES, concurrency: env.WORKER_CONCURRENCY }, "worker supervisor started");

  const childDeadlineMs = workerShutdownDeadlineMs(env);
  shutdownOnSignals({
    log,
    deadlineMs: childDeadlineMs + STOP_MARGIN_MS + 3_000,
    stop: async () => {
      stopping = true;
      for (const slot of slots) clearTimeout(slot.restartTimer);
      await closeServer(health);
      const running = slots.flatMap((slot) => (slot.child ? [slot.child] : []));
      const exits = running.map((child) => new Promise<void>((resolve) => (child.isDead() ? resolve() : child.once("exit", () => resolve()))));
      for (const child of running) child.process.kill("SIGTERM");
      const deadline = new Promise<"deadline">((resolve) => setTimeout(() => resolve("deadline"), childDeadlineMs + STOP_MARGIN_MS).unref());
      if ((await Promise.race([Promise.all(exits), deadline])) === "deadline") {
        for (const child of running) if (!child.isDead()) child.process.kill("SIGKILL");
        throw new Error("worker processes did not stop within the shutdown deadline");
      }
    },
  });
}
