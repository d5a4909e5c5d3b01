import type { Logger } from "@wh/core";

export interface RecordedLog {
  level: "info" | "warn" | "error";
  context: Record<string, unknown>;
  message: string;
}

/** A logger that keeps what was logged, so a test can check what an operator would read. */
export function recordingLogger(): { log: Logger; lines: RecordedLog[] } {
  const lines: RecordedLog[] = [];
  const write =
    (level: RecordedLog["level"]) =>
    (context: Record<string, unknown>, message: string): void => {
      lines.push({ level, context, message });
    };
  const log = {
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    debug: () => undefined,
    child: () => log,
  };
  return { log: log as unknown as Logger, lines };
}
