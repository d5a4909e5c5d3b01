import { spawnSync } from "node:child_process";
import path from "node:path";
import { freePort } from "./free-port";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(__dirname, "cli.ts"), ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the local-stack CLI", () => {
  it("status exits 3 when the local servers do not answer on their ports", async () => {
    // this checkout's .data/ may hold servers running on other ports: those are "UNRESPONSIVE" here
    const result = cli(["status"], { WH_REDIS_PORT: String(await freePort()), WH_PG_PORT: String(await freePort()) });
    expect(result.stdout).toMatch(/^redis: +(stopped|UNRESPONSIVE)/m);
    expect(result.stdout).toMatch(/^postgres: +(stopped|UNRESPONSIVE|not installed)/m);
    expect(result.code).toBe(3);
  });

  it("start prints exactly REDIS_URL= and DATABASE_URL= lines when the servers come from the URLs", () => {
    const { REDIS_URL = "", DATABASE_URL = "" } = process.env;
    const result = cli(["start"], { REDIS_URL, DATABASE_URL });
    expect(result.stdout).toBe(`REDIS_URL=${REDIS_URL}\nDATABASE_URL=${DATABASE_URL}\n`);
    expect(result.code).toBe(0);
  });

  it("exits 1 with the reason when a URL does not answer, and 2 on an unknown command", async () => {
    const refused = cli(["start"], { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, DATABASE_URL: process.env.DATABASE_URL ?? "" });
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toMatch(/^\[services\] ERROR: REDIS_URL is set to/m);
    expect(cli(["restart"], {})).toMatchObject({ code: 2 });
    expect(cli(["--help"], {})).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: scripts/services.sh <command>") });
  });

  it("dev-secrets prints what the environment leaves unset, in a form bash evaluates", () => {
    const result = cli(["dev-secrets"], { JOB_SIGNING_KEY: "set-by-the-operator-0123456789abcdef0123" });
    expect(result.stdout).not.toContain("JOB_SIGNING_KEY");
    expect(result.stdout).toContain("INTERNAL_API_TOKEN=local-development-only-internal-api-token\n");
  });
});
