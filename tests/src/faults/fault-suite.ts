import { PostgresServerProcess } from "@wh/testkit";
import { FaultSystem, type FaultSystemOptions } from "./fault-system";

export interface FaultSuite {
  /** Starts the system of one test on the file's Postgres; it is closed after the test, pass or fail. */
  start(options?: Omit<FaultSystemOptions, "postgres">): Promise<FaultSystem>;
}

/**
 * Registers the hooks of a fault test file: one private Postgres cluster for the file (tests
 * that stop Postgres must not stop anyone else's, nor see their rows), and a system per test.
 */
export function faultSuite(): FaultSuite {
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

  return {
    async start(options = {}) {
      if (!postgres) throw new Error("the private Postgres did not start");
      system = await FaultSystem.start({ ...options, postgres });
      return system;
    },
  };
}
