import { spawn } from "node:child_process";
import path from "node:path";

/** Progress lines of the run, test and bench commands' set-up, on stderr. */
export function bootstrapLog(message: string): void {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

/** Builds every package and app (turbo), then applies the migrations to `env.DATABASE_URL`. Output goes to stderr. */
export async function buildAndMigrate(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
  bootstrapLog("building packages and apps");
  await runStep(root, env, bin("turbo"), ["run", "build", "--output-logs=errors-only", "--log-prefix=none"]);
  bootstrapLog("applying migrations");
  await runStep(root, env, bin("tsx"), ["scripts/migrate.ts"]);
}

function runStep(root: string, env: NodeJS.ProcessEnv, file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // stdout to stderr too: the shell evaluates this process's stdout
    const child = spawn(file, args, { cwd: root, env, stdio: ["ignore", 2, 2] });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} ${args[0] ?? ""} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}
