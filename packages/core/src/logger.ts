import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { redactLogObject } from "./redact-log-object";

export type { Logger };

/**
 * JSON lines on stdout, or on `destination` (tests read log lines from there). Every logged
 * object is walked before it is written: bodies, payloads, secrets and personal data are
 * replaced at any depth (`redact-log-object.ts`), which pino's fixed-depth path redaction
 * cannot do. A child logger's bindings are not walked: bind ids and names of things only.
 */
export function createLogger(options: { name: string; level: string; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level,
    formatters: { log: redactLogObject },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
