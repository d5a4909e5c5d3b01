import { once } from "node:events";
import { createServer, connect, type Server, type Socket } from "node:net";
import { RedisServerProcess, uniqueId } from "@wh/testkit";
import IORedis, { type Redis } from "ioredis";
import { createProducerConnection, createWorkerConnection, type RedisConnection } from "./redis-connection";

/**
 * A failover as a managed Redis does it: the endpoint (here a TCP proxy) leads new connections to
 * the promoted server, while connections already open stay on the old primary, now a replica
 * that answers every write with READONLY.
 */
class FailoverEndpoint {
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    public targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<FailoverEndpoint> {
    const server = createServer();
    const endpoint = new FailoverEndpoint(server, targetPort);
    server.on("connection", (client) => {
      const upstream = connect(endpoint.targetPort, "127.0.0.1");
      for (const socket of [client, upstream]) {
        endpoint.sockets.add(socket);
        socket.on("error", () => socket.destroy());
        socket.on("close", () => {
          endpoint.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return endpoint;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("endpoint is not listening");
    return `redis://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let oldPrimary: RedisServerProcess;
let newPrimary: RedisServerProcess;
let endpoint: FailoverEndpoint;
const admins: Redis[] = [];
const clients: RedisConnection[] = [];

beforeEach(async () => {
  [oldPrimary, newPrimary] = await Promise.all([RedisServerProcess.start(), RedisServerProcess.start()]);
  endpoint = await FailoverEndpoint.start(oldPrimary.port);
});

afterEach(async () => {
  for (const client of [...clients, ...admins]) client.disconnect();
  clients.length = 0;
  admins.length = 0;
  await endpoint.close();
  await Promise.all([oldPrimary.destroy(), newPrimary.destroy()]);
});

const admin = (server: RedisServerProcess): Redis => {
  const connection = new IORedis(server.url);
  admins.push(connection);
  return connection;
};

/** The endpoint moves to the new primary; the old one becomes its replica (READONLY). */
async function failover(): Promise<void> {
  endpoint.targetPort = newPrimary.port;
  await admin(oldPrimary).replicaof("127.0.0.1", String(newPrimary.port));
  await expect(admin(oldPrimary).set(uniqueId("probe"), "x")).rejects.toThrow(/^READONLY/);
}

describe("Redis connections after a failover", () => {
  it("a worker connection reconnects on READONLY and its write lands on the new primary", async () => {
    const worker = createWorkerConnection(endpoint.url);
    clients.push(worker);
    const key = uniqueId("failover");
    await worker.set(key, "before");

    await failover();

    await expect(worker.set(key, "after")).resolves.toBe("OK");
    expect(await admin(newPrimary).get(key)).toBe("after");
  });

  it("a producer connection fails the command that met READONLY, then writes to the new primary", async () => {
    const producer = createProducerConnection(endpoint.url);
    producer.on("error", () => undefined);
    clients.push(producer);
    await once(producer, "ready");
    const key = uniqueId("failover");
    await producer.set(key, "before");

    await failover();
    const reconnected = once(producer, "ready");

    await expect(producer.set(key, "refused")).rejects.toThrow(/^READONLY/);
    await reconnected;
    await expect(producer.set(key, "after")).resolves.toBe("OK");
    expect(await admin(newPrimary).get(key)).toBe("after");
  });
});
