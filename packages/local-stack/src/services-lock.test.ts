import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ServiceError } from "./service-log";
import { withServicesLock } from "./services-lock";

/** The pid of a process that has ended (and been reaped): never a live holder. */
function deadPid(): number {
  return spawnSync("true").pid!;
}

describe("withServicesLock", () => {
  let dataDir: string;
  let lockFile: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "wh-lock-"));
    lockFile = path.join(dataDir, ".services.lock");
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("holds a file with our pid while the work runs and removes it afterwards", async () => {
    const seen = await withServicesLock(dataDir, async () => readFileSync(lockFile, "utf8").trim());
    expect(seen).toBe(String(process.pid));
    expect(existsSync(lockFile)).toBe(false);
  });

  it("removes the lock of a process that is not running any more and goes on", async () => {
    writeFileSync(lockFile, `${deadPid()}\n`);
    await expect(withServicesLock(dataDir, async () => "done", { waitMs: 1_000 })).resolves.toBe("done");
    expect(existsSync(lockFile)).toBe(false);
  });

  it("treats a lock file without a pid (the bash version's flock file) as stale", async () => {
    writeFileSync(lockFile, "");
    await expect(withServicesLock(dataDir, async () => "done", { waitMs: 1_000 })).resolves.toBe("done");
  });

  it("waits for a live holder and gives up after waitMs, leaving its lock alone", async () => {
    writeFileSync(lockFile, `${process.ppid}\n`);
    await expect(withServicesLock(dataDir, async () => "never", { waitMs: 300, pollMs: 50 })).rejects.toThrow(ServiceError);
    expect(readFileSync(lockFile, "utf8").trim()).toBe(String(process.ppid));
  });

  it("runs two concurrent holders one after the other", async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      withServicesLock(
        dataDir,
        async () => {
          events.push(`${name} in`);
          await new Promise((resolve) => setTimeout(resolve, 150));
          events.push(`${name} out`);
        },
        { pollMs: 20 },
      );
    await Promise.all([holder("a"), holder("b")]);
    expect([
      ["a in", "a out", "b in", "b out"],
      ["b in", "b out", "a in", "a out"],
    ]).toContainEqual(events);
  });
});
