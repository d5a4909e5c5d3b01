import { errorMessage, type Logger } from "@wh/core";
import type { Redis } from "ioredis";
import { redisMasters, type RedisConnection } from "./redis-connection";
import { readRedisMemoryInfo } from "./redis-memory-info";

/** The only policy under which Redis never deletes a queued job to make room. */
export const REQUIRED_EVICTION_POLICY = "noeviction";

/** How to fix a wrong policy, logged with it. */
const EVICTION_POLICY_FIX =
  `set maxmemory-policy ${REQUIRED_EVICTION_POLICY} (redis.conf, CONFIG SET maxmemory-policy ${REQUIRED_EVICTION_POLICY}, ` +
  "or the managed service's parameter group), then start this process again";

/**
 * Checks the eviction policy on every (re)connect of `redis` (its `ready` event, and now if it is
 * ready already) and stops the process with exit code 1 when it is anything but `noeviction`:
 * a policy can be changed while we run, and a failover can land on a server configured
 * otherwise. Redis being down is not this check's business: the process keeps running (the
 * receiver answers 503) and checks when the connection is ready; a check that fails because the
 * connection dropped again waits for the next `ready`. On a Redis Cluster every master is checked.
 */
export function exitUnlessNoEviction(redis: RedisConnection, log: Logger): void {
  const check = () => {
    for (const server of redisMasters(redis)) checkServer(server);
  };
  const checkServer = (server: Redis) => {
    readRedisMemoryInfo(server).then(
      ({ evictionPolicy: policy }) => {
        if (policy === undefined || policy === REQUIRED_EVICTION_POLICY) return;
        log.fatal(
          { maxmemoryPolicy: policy, server: `${server.options.host}:${server.options.port}`, fix: EVICTION_POLICY_FIX },
          "redis maxmemory-policy is not noeviction: redis could delete acknowledged jobs; stopping",
        );
        process.exit(1);
      },
      (error: unknown) => log.warn({ err: errorMessage(error) }, "could not read the redis eviction policy; checking again on reconnect"),
    );
  };
  redis.on("ready", check);
  if (redis.status === "ready") check();
}
