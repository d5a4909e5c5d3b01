import { createWorkerConnection } from "@wh/queue";
import { Pool } from "pg";
import { loadBareWorkerEnv } from "./bare-env";
import { createBareWorker } from "./bare-worker";

/** The bare worker as a process, for scripts/bench.sh. Prints "ready" once it takes jobs. */
const env = loadBareWorkerEnv();
const pool = new Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
const worker = createBareWorker({
  connection: createWorkerConnection(env.REDIS_URL),
  prefix: env.QUEUE_PREFIX,
  concurrency: env.WORKER_CONCURRENCY,
  pool,
});
worker.on("error", () => undefined);
worker.waitUntilReady().then(() => process.stdout.write("ready\n"));
const stop = () =>
  worker
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
