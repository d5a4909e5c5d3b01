import { linkSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pidAlive, readPidFile } from "./process-alive";
import { serviceLog, ServiceError } from "./service-log";

export interface LockOptions {
  waitMs?: number;
  pollMs?: number;
}

/**
 * Runs `work` while holding `<dataDir>/.services.lock` (a file holding the holder's pid), so two
 * start/stop runs of one checkout do not race. A lock whose pid is not running any more is stale
 * and removed; a live holder is waited for (at most `waitMs`).
 */
export async function withServicesLock<T>(dataDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const file = path.join(dataDir, ".services.lock");
  await acquire(file, options.waitMs ?? 600_000, options.pollMs ?? 200);
  try {
    return await work();
  } finally {
    if (readPidFile(file) === process.pid) unlinkSync(file);
  }
}

async function acquire(file: string, waitMs: number, pollMs: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    if (tryCreate(file)) return;
    const holder = readPidFile(file);
    if (holder === undefined || !pidAlive(holder)) {
      serviceLog(`removing stale lock file ${file} (pid ${holder ?? "?"} is not running)`);
      removeIfHeldBy(file, holder);
      continue;
    }
    if (Date.now() > deadline) throw new ServiceError(`timed out waiting for ${file} (held by pid ${holder})`);
    if (!announced) {
      serviceLog(`another run (pid ${holder}) holds ${file}; waiting (max ${Math.round(waitMs / 1000)} s)...`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Creates the lock file with our pid in it in one step (a hard link of a written temp file). */
function tryCreate(file: string): boolean {
  const temp = `${file}.${process.pid}`;
  try {
    writeFileSync(temp, `${process.pid}\n`, { mode: 0o644 });
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ServiceError(`cannot create lock file ${file}: ${(error as Error).message}`);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Removes the stale file unless another run replaced it meanwhile. */
function removeIfHeldBy(file: string, holder: number | undefined): void {
  try {
    if (readPidFile(file) === holder) unlinkSync(file);
  } catch {
    // already gone
  }
}
