import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AptInstaller } from "./apt-installer";
import { freePort } from "./free-port";
import { checkDatabaseUrl, checkRedisUrl, LocalStack } from "./local-stack";
import { ServiceError } from "./service-log";

/** The servers scripts/test.sh made available (the test command exports them). */
function sharedServers(): { redisUrl: string; databaseUrl: string } {
  const { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl } = process.env;
  if (!redisUrl || !databaseUrl) throw new Error("REDIS_URL and DATABASE_URL must be set: run the tests through scripts/test.sh");
  return { redisUrl, databaseUrl };
}

/** An installer that must not be needed: the binaries are on this machine already. */
class NoInstall extends AptInstaller {
  override install(packages: readonly string[]): Promise<void> {
    throw new Error(`unexpected apt-get install ${packages.join(" ")}`);
  }
}

describe("LocalStack.status", () => {
  it("is not running before a start, and notes the URLs that start would use instead", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "wh-stack-"));
    try {
      const [redisPort, pgPort] = [await freePort(), await freePort()];
      const status = await new LocalStack({ root, redisPort, pgPort, redisUrl: "redis://:secret@elsewhere:6379" }).status();
      expect(status).toEqual({
        running: false,
        lines: [
          `redis:    stopped   (port ${redisPort})`,
          expect.stringMatching(/^postgres: (stopped {3}\(no cluster yet in .*\)|not installed)$/),
          "note: REDIS_URL is set (redis://:***@elsewhere:6379); start would use it instead of the local Redis",
        ],
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("external servers (REDIS_URL, DATABASE_URL)", () => {
  it("are used as they are when they answer, without starting or locking anything", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "wh-stack-"));
    try {
      const urls = await new LocalStack({ root, redisPort: await freePort(), pgPort: await freePort(), ...sharedServers() }, new NoInstall()).start();
      expect(urls).toMatchObject(sharedServers());
      // no .data/ (no lock file, no server folders) in a root whose servers all come from URLs
      expect(existsSync(path.join(root, ".data"))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("are refused, never replaced, when they do not answer; the message names the variable and hides the password", async () => {
    const port = await freePort();
    await expect(checkRedisUrl(`redis://:hunter2@127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`^REDIS_URL is set to redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} but that Redis is not reachable: .*ECONNREFUSED`),
    );
    await expect(checkDatabaseUrl(`postgresql://postgres:hunter2@127.0.0.1:${port}/webhooks`)).rejects.toThrow(ServiceError);
    const wrongPassword = sharedServers().databaseUrl.replace(/\/\/([^:]+):[^@]*@/, "//$1:not-the-password@");
    await expect(checkDatabaseUrl(wrongPassword)).rejects.toThrow(/^DATABASE_URL is set to .*:\*\*\*@.* but that Postgres is not reachable: password authentication failed/);
  });
});
