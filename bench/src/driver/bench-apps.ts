import { DEV_SECRETS, freePort } from "@wh/local-stack";
import { BenchProcess } from "./bench-process";

export type Variant = "bare" | "ours";

/** Where a run's processes connect and how the worker side is sized. */
export interface RunContext {
  redisUrl: string;
  databaseUrl: string;
  queuePrefix: string;
  /** WEBHOOK_QUEUE_SHARDS of our apps (the load tests pass the caller's; unset: 1). */
  queueShards?: number;
  concurrency: number;
  logDir: string;
  /** Set: our apps run under `node --cpu-prof`, their profiles written here. */
  cpuProfileDir?: string;
}

/** The development-only secrets of scripts/dev.sh: the benchmark measures the apps as they run there. */
export const BENCH_STRIPE_SECRET = DEV_SECRETS.STRIPE_WEBHOOK_SECRET;

/**
 * The one environment every benchmarked process gets, ours and bare alike: extend it here when
 * the apps gain a required variable. Pool = 2 × shards × concurrency + 2, the sizing rule.
 */
export function benchEnvironment(context: RunContext): Record<string, string> {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    REDIS_URL: context.redisUrl,
    DATABASE_URL: context.databaseUrl,
    QUEUE_PREFIX: context.queuePrefix,
    WEBHOOK_QUEUE_SHARDS: String(context.queueShards ?? 1),
    STRIPE_WEBHOOK_SECRET: BENCH_STRIPE_SECRET,
    CLERK_WEBHOOK_SECRET: DEV_SECRETS.CLERK_WEBHOOK_SECRET,
    // the job signature key the receiver and worker require (an unknown variable is ignored by the bare ones)
    JOB_SIGNING_KEY: DEV_SECRETS.JOB_SIGNING_KEY,
    // the bench sends test-mode events; production requires the mode to be stated
    STRIPE_LIVEMODE: "false",
    WORKER_CONCURRENCY: String(context.concurrency),
    DATABASE_POOL_MAX: String(2 * (context.queueShards ?? 1) * context.concurrency + 2),
  };
}

/** `node --cpu-prof` for both variants when profiling, one folder per variant and app under the run's profile folder. */
const profileArgs = (context: RunContext, variant: Variant, app: "receiver" | "worker") =>
  context.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${context.cpuProfileDir}/${variant}-${app}`] : undefined;

/** The receiver of a variant on a free port; resolves once it answers. */
export async function startReceiver(variant: Variant, context: RunContext): Promise<{ process: BenchProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = benchEnvironment(context);
  const started =
    variant === "ours"
      ? await BenchProcess.start({
          name: "receiver-ours",
          script: "apps/receiver/dist/main.js",
          env: { ...env, RECEIVER_HOST: "127.0.0.1", RECEIVER_PORT: String(port) },
          logDir: context.logDir,
          nodeArgs: profileArgs(context, variant, "receiver"),
          ready: { url: `${url}/healthz` },
        })
      : await BenchProcess.start({
          name: "receiver-bare",
          script: "bench/dist/bare/bare-receiver-main.js",
          env: { ...env, BARE_PORT: String(port) },
          logDir: context.logDir,
          nodeArgs: profileArgs(context, variant, "receiver"),
          ready: { url: `${url}/healthz` },
        });
  return { process: started, url };
}

/** The worker of a variant; resolves once it takes jobs. */
export async function startWorker(variant: Variant, context: RunContext): Promise<BenchProcess> {
  const env = benchEnvironment(context);
  if (variant === "bare") {
    return BenchProcess.start({
      name: "worker-bare",
      script: "bench/dist/bare/bare-worker-main.js",
      env,
      logDir: context.logDir,
      nodeArgs: profileArgs(context, variant, "worker"),
      ready: { stdout: /^ready$/m },
    });
  }
  return (await startOurWorker(context)).process;
}

/** Our worker; resolves once it takes jobs, with the URL of its /readyz and /metrics. */
export async function startOurWorker(context: RunContext): Promise<{ process: BenchProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = await BenchProcess.start({
    name: "worker-ours",
    script: "apps/worker/dist/main.js",
    env: { ...benchEnvironment(context), WORKER_HOST: "127.0.0.1", WORKER_PORT: String(port) },
    logDir: context.logDir,
    nodeArgs: profileArgs(context, "ours", "worker"),
    ready: { url: `${url}/readyz` },
  });
  return { process: started, url };
}

/** Our dashboard (service API /v1 with `internalApiToken`, /metrics); resolves once it answers. */
export async function startDashboard(
  context: RunContext,
  options: { internalApiToken: string; queueMetricsIntervalMs: number },
): Promise<{ process: BenchProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = await BenchProcess.start({
    name: "dashboard",
    script: "apps/dashboard/dist/main.js",
    env: {
      ...benchEnvironment(context),
      DASHBOARD_HOST: "127.0.0.1",
      DASHBOARD_PORT: String(port),
      INTERNAL_API_TOKEN: options.internalApiToken,
      QUEUE_METRICS_INTERVAL_MS: String(options.queueMetricsIntervalMs),
    },
    logDir: context.logDir,
    ready: { url: `${url}/healthz` },
  });
  return { process: started, url };
}
