import cluster from "node:cluster";
import { ConfigError, createLogger, errorMessage } from "@wh/core";
import { loadWorkerEnv } from "./env";
import { runWorkerProcess } from "./run-worker-process";
import { runSupervisor } from "./supervisor/run-supervisor";

/**
 * WORKER_PROCESSES=1 (the default) runs the worker in this process, as it always did: no
 * supervisor, no IPC. More starts a supervisor here, which forks the worker processes (each runs
 * this file again and takes the second branch).
 */
async function main(): Promise<void> {
  const env = loadWorkerEnv();
  const log = createLogger({ name: "worker", level: env.LOG_LEVEL });
  if (cluster.isPrimary && env.WORKER_PROCESSES > 1) await runSupervisor(env, log);
  else await runWorkerProcess(env, log);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `failed to start: ${errorMessage(error)}`;
  process.stderr.write(`worker: ${message}\n`);
  process.exit(1);
});
