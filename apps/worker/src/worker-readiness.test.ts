import type { Server } from "node:http";
import { createLogger } from "@wh/core";
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { boundPort, closeServer, listen, opsEndpoints } from "@wh/http";
import { testServers, waitFor } from "@wh/testkit";
import { startTestWebhookWorkers, type TestWebhookWorkers } from "./test-support/test-webhook-workers";
import { createWorkerMetrics } from "./worker-metrics";
import { workerReadiness } from "./worker-readiness";

/** The worker's /readyz over HTTP, as main.ts wires it, on real BullMQ workers. */
let prisma: PrismaClient;
let system: TestWebhookWorkers;
let server: Server;

beforeAll(async () => {
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
  const metrics = createWorkerMetrics();
  system = await startTestWebhookWorkers({
    prisma,
    log: createLogger({ name: "readiness-test", level: "silent" }),
    metrics,
    retryPolicy: { attempts: 1, backoffMs: 50, keepCompletedSeconds: 60, keepFailedSeconds: 60, keepCompletedCount: 1_000, keepFailedCount: 1_000 },
    settings: { concurrency: 1, jobTimeoutMs: 5_000, databaseOutagePauseMs: 200 },
  });
  const ops = opsEndpoints({
    registry: metrics.registry,
    isReady: workerReadiness({ prisma, redis: system.workerRedis, workers: system.workers }),
  });
  server = await listen((req, res) => void ops(req, res), 0, "127.0.0.1");
});

afterAll(async () => {
  await closeServer(server);
  await system.close();
  await prisma.$disconnect();
});

const readyz = async () => (await fetch(`http://127.0.0.1:${boundPort(server)}/readyz`)).status;

it("is 503 while a BullMQ worker is paused or closed, 200 while all run", async () => {
  const [first] = system.workers;
  if (!first) throw new Error("no workers started");
  await waitFor("workers to run", () => system.workers.every((worker) => worker.isRunning()));
  expect(await readyz()).toBe(200);

  await first.pause();
  expect(await readyz()).toBe(503);

  first.resume();
  await waitFor("/readyz to be 200 after resume", async () => (await readyz()) === 200);

  await first.close();
  expect(await readyz()).toBe(503);
});
