import type { RequestListener } from "node:http";
import { opsEndpoints, opsListener } from "@wh/http";
import type { createProducerConnection } from "@wh/queue";
import type { ReceiverMetrics } from "./receiver-metrics";

/**
 * The receiver's ops listener: `/healthz`, `/readyz` (Redis answers) and `/metrics`. It runs on
 * its own port (`RECEIVER_OPS_PORT`, loopback by default), never on the public one: readiness and
 * metrics tell an outsider how we are doing and cost a Redis round trip each.
 */
export function receiverOpsListener(deps: { redis: ReturnType<typeof createProducerConnection>; metrics: ReceiverMetrics }): RequestListener {
  return opsListener(
    opsEndpoints({
      registry: deps.metrics.registry,
      isReady: async () => deps.redis.status === "ready" && (await deps.redis.ping()) === "PONG",
    }),
  );
}
