export { ConfigError } from "./config-error";
export { parseEnv } from "./parse-env";
export {
  booleanFlag,
  databaseUrl,
  logLevel,
  longSecretList,
  optionalBooleanFlag,
  port,
  positiveInt,
  queuePrefix,
  redisUrl,
  secretList,
  trustProxy,
  trustProxySetting,
} from "./env-fields";
export { createLogger, type Logger } from "./logger";
export { errorMessage } from "./error-message";
