import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** docker/compose.yml and docker/Dockerfile, checked as a Docker user relies on them (no Docker needed). */
const ROOT = path.resolve(__dirname, "..", "..");
const read = (...parts: string[]) => readFileSync(path.join(ROOT, ...parts), "utf8");

interface Service {
  image?: string;
  build?: { target?: string };
  init?: boolean;
  stop_grace_period?: string;
  environment?: string[] | Record<string, string | null>;
}

const composeText = read("docker", "compose.yml");
const services = (parse(composeText) as { services: Record<string, Service> }).services;
const APPS = ["receiver", "worker", "dashboard", "migrate"];

function environmentNames(service: Service): string[] {
  const env = service.environment ?? [];
  return Array.isArray(env) ? env.map((entry) => entry.split("=")[0]!) : Object.keys(env);
}

function milliseconds(duration: string): number {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h)/g)];
  expect(parts.map((part) => part[0]).join("")).toBe(duration);
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * units[unit!]!, 0);
}

/** A number literal (with `_` separators) captured by `pattern` in a source file. */
function sourceNumber(file: string, pattern: RegExp): number {
  const match = pattern.exec(read(file));
  if (!match?.[1]) throw new Error(`${file} no longer matches ${pattern}: update this test with the app's shutdown deadline`);
  return Number(match[1].replaceAll("_", ""));
}

/** How long each app may take to stop after SIGTERM, read from where it is defined. */
const shutdownDeadlineMs: Record<string, number> = {
  receiver: sourceNumber("apps/receiver/src/main.ts", /const SHUTDOWN_DEADLINE_MS = ([\d_]+);/),
  dashboard: sourceNumber("apps/dashboard/src/main.ts", /const SHUTDOWN_DEADLINE_MS = ([\d_]+);/),
  worker:
    sourceNumber("apps/worker/src/env.ts", /SHUTDOWN_DEADLINE_MS: positiveInt\(([\d_]+)\)/) +
    sourceNumber("apps/worker/src/run-worker-process.ts", /return env\.SHUTDOWN_DEADLINE_MS \+ ([\d_]+);/) +
    // With WORKER_PROCESSES > 1 the supervisor waits that long for its processes, then a little more.
    sourceNumber("apps/worker/src/supervisor/run-supervisor.ts", /const STOP_MARGIN_MS = ([\d_]+);/),
};

it("builds one image per app, each run under an init so signals reach node", () => {
  const built = Object.entries(services).filter(([, service]) => service.build);

  expect(built.map(([name, service]) => [name, service.build?.target]).sort()).toEqual(APPS.map((app) => [app, app]).sort());
  for (const [name, service] of built) expect([name, service.init]).toEqual([name, true]);
});

it.each(Object.entries(shutdownDeadlineMs))("gives the %s a stop grace period longer than its shutdown deadline", (app, deadline) => {
  const grace = services[app]?.stop_grace_period;

  expect(grace).toBeDefined();
  expect(milliseconds(grace!)).toBeGreaterThan(deadline);
});

it("pins the Node LTS, Redis and Postgres images", () => {
  expect(read("docker", "Dockerfile")).toMatch(/^ARG NODE_IMAGE=node:(22|24)\.\d+\.\d+-[a-z]+-slim$/m);
  for (const name of ["redis", "postgres"]) expect(services[name]?.image).toMatch(new RegExp(`^${name}:\\d+\\.\\d+(\\.\\d+)?$`));
});

it("keeps pnpm's BuildKit cache locked and never requires it to hold everything", () => {
  const dockerfile = read("docker", "Dockerfile");
  const mounts = [...dockerfile.matchAll(/--mount=type=cache,\S+/g)].map((match) => match[0]);

  expect(mounts.length).toBeGreaterThan(0);
  for (const mount of mounts) expect(mount).toContain("sharing=locked");
  expect(dockerfile).not.toMatch(/(?<!prefer-)--offline/);
});

it("lets down, logs and ps run without the secrets (no ${VAR:?} interpolation)", () => {
  expect(composeText).not.toMatch(/\$\{[A-Za-z_]+:?\?/);
});

it("passes every variable of README's configuration table to each app that reads it", () => {
  const readme = read("README.md");
  const table = readme.slice(readme.indexOf("| variable | used by |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
  const missing: string[] = [];
  for (const row of rows) {
    const [, names = "", usedBy = ""] = row.split("|").map((cell) => cell.trim());
    const apps = usedBy === "all" ? ["receiver", "worker", "dashboard"] : usedBy.split(/,\s*/).filter((app) => APPS.includes(app));
    for (const name of [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!)) {
      for (const app of apps) if (!environmentNames(services[app]!).includes(name)) missing.push(`${app}: ${name}`);
    }
  }

  expect(rows.length).toBeGreaterThan(20);
  expect(missing).toEqual([]);
});
