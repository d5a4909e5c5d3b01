import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AptInstaller } from "./apt-installer";
import { freePort } from "./free-port";
import { LocalPostgres } from "./local-postgres";
import { runsAsRoot } from "./process-alive";
import { postgresQuery } from "./service-probes";

describe("LocalPostgres (a real cluster)", () => {
  let root: string;
  let postgres: LocalPostgres;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "wh-local-pg-"));
    // as the project folder is: traversable by the postgres OS user
    chmodSync(root, 0o755);
    postgres = new LocalPostgres(root, path.join(root, ".data"), await freePort());
  });
  afterAll(async () => {
    await postgres.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("initdb once under .data/postgres (owned by the postgres user as root), start, reuse, stop; status follows", async () => {
    expect(await postgres.status()).toMatchObject({ running: false });
    const started = await postgres.start(new AptInstaller());
    expect(started.url).toBe(postgres.url);
    expect(await postgresQuery(postgres.url, "SELECT current_database() AS name")).toEqual([{ name: "webhooks" }]);
    const layout = await postgres.layout();
    expect(layout).toMatchObject({ data: path.join(root, ".data", "postgres", "data"), fallback: false });
    if (runsAsRoot()) {
      const owner = await postgresQuery<{ owner: string }>(postgres.url, "SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'webhooks'");
      expect(owner).toEqual([{ owner: "postgres" }]);
    }
    expect(await postgres.status()).toMatchObject({ running: true });

    await expect(postgres.start(new AptInstaller())).resolves.toEqual(started);

    await postgres.stop();
    expect(await postgres.status()).toEqual({ running: false, line: `postgres: stopped   (port ${postgres.port}, data ${layout.data})` });
  });
});
