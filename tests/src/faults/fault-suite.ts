import { PostgresServerProcess } from "@wh/testkit";
import { FaultSystem, type FaultSystemOptions } from "./fault-system";

/**
 * Registers the hooks of a fault test file: one private Postgres cluster for the file (tests
 * that stop Postgres must not stop anyone else's), and a system per test, always closed.
 */
export function faultSuite(): { start: (options?: Omit<FaultSystemOptions, "postgres">) => Promise<FaultSystem>; postgres: () => PostgresServerProcess } {
  let postgres: PostgresServerProcess | undefined;
  let system: FaultSystem | undefined;

  beforeAll(async () => {
    postgres = await PostgresServerProcess.start();
  }, 60_000);
  afterEach(async () => {
    await system?.close();
    system = undefined;
  }, 60_000);
  afterAll(async () => {
    await postgres?.destroy();
  }, 60_000);

  const current = () => {
    if (!postgres) throw new Error("private Postgres not started");
    return postgres;
  };
  return {
    postgres: current,
    async start(options = {}) {
      system = await FaultSystem.start({ ...options, postgres: current() });
      return system;
    },
  };
}
