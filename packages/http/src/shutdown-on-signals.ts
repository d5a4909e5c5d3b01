import type { Logger } from "@wh/core";

/**
 * SIGTERM / SIGINT run `stop` once, then the process exits 0; if `stop` has not finished after
 * `deadlineMs`, or fails, it exits 1. A second signal while stopping is ignored.
 */
export function shutdownOnSignals(options: { log: Logger; deadlineMs: number; stop: () => Promise<void> }): void {
  const { log } = options;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, deadlineMs: options.deadlineMs }, "shutting down");
    setTimeout(() => {
      log.error("shutdown deadline passed, exiting");
      process.exit(1);
    }, options.deadlineMs).unref();
    options.stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error instanceof Error ? error.message : String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
