import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * Paths that must never reach a log line even if a caller passes them by mistake: bodies,
 * signature headers, secrets, personal data.
 */
const REDACTED_PATHS = [
  "body",
  "payload",
  "email",
  "*.email",
  "headers",
  "*.headers",
  "secret",
  "*.secret",
  "secrets",
  "req.headers",
];

/** JSON lines on stdout, or on `destination` (tests read log lines from there). */
export function createLogger(options: { name: string; level: string; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
