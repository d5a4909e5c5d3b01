/**
 * Runs a local 3-master Redis Cluster in the foreground (AOF, noeviction, data under
 * .data/redis-cluster/<port>) and prints its REDIS_URL; Ctrl-C / SIGTERM stops it, the data stays.
 */
import path from "node:path";
import { RedisClusterProcess } from "@wh/local-stack";

const HELP = `Usage: pnpm exec tsx scripts/redis-cluster.ts [--help]

Starts three redis-server masters with --cluster-enabled yes on 127.0.0.1, creates the cluster
(redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes) unless their data already
holds one, waits for cluster_state:ok and prints
  REDIS_URL=redis+cluster://127.0.0.1:<port>,...
for every app and tool (with WEBHOOK_QUEUE_SHARDS=3 to use all three masters).

Environment:
  WH_REDIS_CLUSTER_PORTS   comma-separated ports of the masters (default 6391,6392,6393)
`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(HELP);
  process.exit(0);
}

async function main(): Promise<void> {
  const ports = (process.env.WH_REDIS_CLUSTER_PORTS ?? "6391,6392,6393").split(",").map((port) => Number(port.trim()));
  if (ports.length < 3 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error("WH_REDIS_CLUSTER_PORTS must list at least three ports (a Redis Cluster needs three masters)");
  }
  const cluster = await RedisClusterProcess.start({ ports, dataDir: path.join(__dirname, "..", ".data", "redis-cluster") });
  process.stdout.write(`REDIS_URL=${cluster.url}\n`);
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`redis-cluster: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
