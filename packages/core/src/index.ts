export { ConfigError } from "./config-error";
export { parseEnv } from "./parse-env";
export {
  booleanFlag,
  databaseUrl,
  logLevel,
  longSecretList,
  port,
  positiveInt,
  queuePrefix,
  redisUrl,
  secretList,
} from "./env-fields";
export { createLogger, type Logger } from "./logger";
export { errorMessage } from "./error-message";
