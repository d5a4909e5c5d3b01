import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDatabase, type CreatedDatabase } from "@wh/db";
import { testServers } from "@wh/testkit";

/**
 * What docker/Dockerfile ships, cut the same way without Docker: `pnpm deploy --prod` keeps an
 * app's production dependencies and the workspace packages it uses (their "files"), nothing else.
 * Started with nothing but PATH, each must get as far as its configuration check: a runtime import
 * listed under devDependencies would stop it earlier with "Cannot find module".
 */
const ROOT = path.resolve(__dirname, "..", "..");

/** Variables each entry point requires today (other required variables may join them). */
const REQUIRED: Record<string, string[]> = {
  "@wh/receiver": ["REDIS_URL"],
  "@wh/worker": ["REDIS_URL", "DATABASE_URL"],
  "@wh/dashboard": ["REDIS_URL", "DATABASE_URL"],
  "@wh/migrate": ["DATABASE_URL"],
  "@wh/ops-cli": ["DATABASE_URL", "REDIS_URL"],
};

/** Arguments an entry point needs to get to its configuration check (a command-line tool). */
const ARGS: Record<string, string[]> = {
  "@wh/ops-cli": ["replay", "--status", "dead"],
};

/** The pnpm the lockfile was written with: the installed one if it matches, else through npx (as scripts/lib/bootstrap.sh). */
function pnpmCommand(): [string, ...string[]] {
  const { packageManager } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { packageManager: string };
  const version = packageManager.replace(/^pnpm@/, "");
  const installed = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  return installed.stdout?.trim() === version ? ["pnpm"] : ["npx", "--yes", `pnpm@${version}`];
}

/** Runs the deployed entry point the way the image's CMD does, with the given environment on top of PATH. */
function start(folder: string, env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync(process.execPath, ["dist/main.js", ...args], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

let root: string;
const folderOf = (pkg: string) => path.join(root, pkg.replace("@wh/", ""));

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "wh-deploy-"));
  const [command, ...prefix] = pnpmCommand();
  // In parallel: each deploy is mostly waiting on the file system and pnpm's lockfile checks.
  await Promise.all(
    Object.keys(REQUIRED).map((pkg) =>
      promisify(execFile)(command, [...prefix, "--filter", pkg, "deploy", "--prod", "--prefer-offline", folderOf(pkg)], {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      }),
    ),
  );
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

it("covers every image docker/Dockerfile deploys", () => {
  const dockerfile = readFileSync(path.join(ROOT, "docker", "Dockerfile"), "utf8");
  const deployed = [...dockerfile.matchAll(/--filter (@wh\/[a-z-]+) deploy --prod/g)].map((match) => match[1]);

  expect(deployed.sort()).toEqual(Object.keys(REQUIRED).sort());
});

it.each(Object.entries(REQUIRED))("%s, deployed with production dependencies only, stops at its configuration check", (pkg, required) => {
  const result = start(folderOf(pkg), {}, ARGS[pkg]);

  expect(result.stderr).not.toContain("Cannot find module");
  expect(result.stderr).toContain("Invalid configuration");
  for (const name of required) expect(result.stderr).toContain(`- ${name}: is required`);
  expect(result.status).not.toBe(0);
});

it.each(Object.keys(REQUIRED))("%s carries no dev dependency and only the built files of workspace packages", (pkg) => {
  const folder = folderOf(pkg);
  const workspacePackages = readdirSync(path.join(folder, "node_modules", "@wh"));

  expect(workspacePackages).not.toContain("testkit");
  expect(readdirSync(path.join(folder, "node_modules"))).not.toContain("supertest");
  expect(readdirSync(folder).filter((name) => !name.startsWith("pnpm-")).sort()).toEqual(["dist", "node_modules", "package.json"]);
  for (const name of workspacePackages) {
    const files = readdirSync(path.join(folder, "node_modules", "@wh", name)).filter((file) => file !== "node_modules");
    expect([name, files.sort()]).toEqual([name, ["dist", "package.json"]]);
  }
});

describe("the deployed migrate", () => {
  let database: CreatedDatabase;

  beforeAll(async () => {
    database = await createDatabase({ serverUrl: testServers().databaseUrl, namePrefix: "wh_deploy" });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("applies the migrations it is given to an empty database, then finds nothing to do", () => {
    const env = { DATABASE_URL: database.url, MIGRATIONS_DIR: path.join(ROOT, "prisma", "migrations") };
    const migrations = readdirSync(env.MIGRATIONS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());

    const first = start(folderOf("@wh/migrate"), env);
    expect([first.status, first.stderr]).toEqual([0, expect.stringContaining(`[migrate] ${migrations.length} applied, 0 already applied`)]);

    const second = start(folderOf("@wh/migrate"), env);
    expect([second.status, second.stderr]).toEqual([0, expect.stringContaining(`[migrate] 0 applied, ${migrations.length} already applied`)]);
  });
});
