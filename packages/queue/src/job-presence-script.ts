import type { Cluster, Redis } from "ioredis";

/**
 * What held a job id before an add, read in one command: whether the job hash exists, its `data`,
 * and its score in the failed set (nil when not failed). Three plain commands cost the receiver
 * three ioredis command objects, promises and replies per delivery (~15 µs of its CPU, measured
 * in docs/decisions/receiver-hot-path.md); one script costs one. Loaded on every connection by
 * the connection factory (`scripts`), so ioredis sends EVALSHA and re-sends the script after a
 * NOSCRIPT. Both keys carry the queue's prefix, so in a cluster they share a slot.
 */
export const JOB_PRESENCE_SCRIPTS = {
  webhookJobPresence: {
    numberOfKeys: 2,
    readOnly: true,
    lua: "return {redis.call('EXISTS', KEYS[1]), redis.call('HGET', KEYS[1], 'data'), redis.call('ZSCORE', KEYS[2], ARGV[1])}",
  },
};

/** A connection made by `connectRedis`: it has the script as a command. */
type WithJobPresence = {
  webhookJobPresence(jobKey: string, failedKey: string, jobId: string): Promise<[number, string | null, string | null]>;
};

/** The job hash's existence and data, and whether the job is failed: one command. */
export function readJobPresence(
  redis: Redis | Cluster,
  jobKey: string,
  failedKey: string,
  jobId: string,
): Promise<[number, string | null, string | null]> {
  const command = (redis as Partial<WithJobPresence>).webhookJobPresence;
  if (typeof command !== "function") {
    throw new TypeError("this Redis connection lacks the job presence script: make it with connectRedis (@wh/queue)");
  }
  return command.call(redis, jobKey, failedKey, jobId);
}
