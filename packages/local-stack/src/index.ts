export { APP_LOG_DIR_VARIABLE, AppProcess, type AppName } from "./app-process";
export { AptInstaller, type Requirement } from "./apt-installer";
export { DEV_SECRETS, missingDevSecrets, type DevSecretName } from "./dev-secrets";
export { freePort } from "./free-port";
export { checkDatabaseUrl, checkRedisUrl, LocalStack, type LocalStackOptions, type StackUrls } from "./local-stack";
export { PostgresServerProcess, type PostgresServerOptions } from "./postgres-server-process";
export { RedisClusterProcess, type RedisClusterOptions } from "./redis-cluster-process";
export { RedisServerProcess, type RedisServerOptions } from "./redis-server-process";
export { waitFor, waitUntil } from "./wait-for";
