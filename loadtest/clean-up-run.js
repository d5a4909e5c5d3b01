// Removes what one scripts/load.sh run left behind: its rows in Postgres (ledger rows and the
// users it created, whose customers, subscriptions and usage rows cascade) and every key under
// its dedicated BullMQ prefix in Redis. Rows are found by the run id in their ids, never by time.
// Usage: DATABASE_URL=… REDIS_URL=… node loadtest/clean-up-run.js --run-id ID [--queue-prefix P]...
// Both warm-up and measured ids are covered: the warm-up run id is the run id plus a suffix.
"use strict";

const { parseArgs } = require("node:util");
const IORedis = require("ioredis");
const { Client } = require("pg");

async function cleanPostgres(runId) {
  const client = new Client({ connectionString: process.env.DATABASE_URL, application_name: "loadtest-clean-up" });
  await client.connect();
  try {
    await client.query("BEGIN");
    const events = await client.query(
      `DELETE FROM webhook_events
        WHERE (provider = 'stripe' AND starts_with(event_id, $1)) OR (provider = 'clerk' AND starts_with(event_id, $2))`,
      [`evt_${runId}`, `msg_${runId}`],
    );
    const users = await client.query("DELETE FROM users WHERE starts_with(clerk_user_id, $1)", [`user_${runId}`]);
    await client.query("COMMIT");
    return { events: events.rowCount, users: users.rowCount };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function cleanRedis(prefix) {
  const redis = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let deleted = 0;
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const { values } = parseArgs({ options: { "run-id": { type: "string" }, "queue-prefix": { type: "string", multiple: true } } });
  const runId = values["run-id"];
  // Ids are prefix-matched: insist on the long generated form so a short id cannot match others.
  if (!runId || !/^lt[0-9a-z]{12,}$/.test(runId)) throw new Error("--run-id must be a generated run id (lt + 12 or more)");
  let failed = false;
  try {
    const rows = await cleanPostgres(runId);
    process.stderr.write(`[load] removed ${rows.events} ledger rows and ${rows.users} users of run ${runId}\n`);
  } catch (error) {
    failed = true;
    process.stderr.write(`[load] could not remove the run's Postgres rows: ${error.message}\n`);
  }
  for (const prefix of values["queue-prefix"] ?? []) {
    try {
      const keys = await cleanRedis(prefix);
      process.stderr.write(`[load] removed ${keys} Redis keys under ${prefix}\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`[load] could not remove the Redis keys: ${error.message}\n`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`clean-up-run: ${error.message}\n`);
    process.exit(2);
  },
);
