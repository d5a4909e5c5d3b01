import { deleteQueueKeys } from "@wh/queue";
import { AppProcess, waitFor } from "@wh/testkit";
import { systemEnv } from "./system-env";

/** WORKER_PROCESSES=2: the built worker as a supervisor of two processes, as an operator runs it. */
const env = systemEnv({ WORKER_PROCESSES: "2" });
const apps: AppProcess[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop("SIGKILL")));
});
afterAll(async () => {
  await deleteQueueKeys(env.REDIS_URL as string, env.QUEUE_PREFIX as string);
});

async function startSupervisor(): Promise<AppProcess> {
  const supervisor = await AppProcess.start("worker", env);
  apps.push(supervisor);
  await waitFor("two worker processes", () => supervisor.childPids().length === 2, { timeoutMs: 30_000 });
  return supervisor;
}

const readyStatus = async (app: AppProcess) => (await fetch(`${app.url}/readyz`)).status;

async function metric(app: AppProcess, line: RegExp): Promise<number | undefined> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const found = text.split("\n").find((candidate) => line.test(candidate));
  return found === undefined ? undefined : Number(found.slice(found.lastIndexOf(" ") + 1));
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("is ready when both processes are, sums their metrics, and restarts a killed one", async () => {
  const supervisor = await startSupervisor();
  await waitFor("/readyz 200", async () => (await readyStatus(supervisor)) === 200, { timeoutMs: 60_000 });
  expect(await metric(supervisor, /^worker_processes /)).toBe(2);
  // The processes' own metrics (their pools) are served, aggregated, on the supervisor's port.
  expect(await metric(supervisor, /^db_pool_connections\{app="worker",state="idle"\} /)).toBeGreaterThan(0);
  const [victim, survivor] = supervisor.childPids() as [number, number];

  process.kill(victim, "SIGKILL");
  await waitFor("/readyz 503 while a process is missing", async () => (await readyStatus(supervisor)) === 503, { timeoutMs: 10_000 });
  const replacement = await waitFor(
    "a new worker process",
    () => supervisor.childPids().find((pid) => pid !== victim && pid !== survivor),
    { timeoutMs: 30_000 },
  );
  expect(supervisor.childPids().sort()).toEqual([survivor, replacement].sort());
  await waitFor("/readyz 200 again", async () => (await readyStatus(supervisor)) === 200, { timeoutMs: 60_000 });
  expect(await metric(supervisor, /^worker_process_restarts_total\{slot="\d"\} /)).toBe(1);
  expect(supervisor.logs()).toContain('"msg":"worker process died, restarting"');
}, 150_000);

it("stops its processes on SIGTERM and exits 0", async () => {
  const supervisor = await startSupervisor();
  const children = supervisor.childPids();
  expect(await supervisor.stop("SIGTERM")).toBe(0);
  expect(children.filter(isAlive)).toEqual([]);
}, 90_000);

it("its processes exit when the supervisor is SIGKILLed (node:cluster), leaving no orphan", async () => {
  const supervisor = await startSupervisor();
  const children = supervisor.childPids();
  expect(await supervisor.stop("SIGKILL")).toBeNull();
  await waitFor("orphaned worker processes to exit", () => children.every((pid) => !isAlive(pid)), { timeoutMs: 45_000 });
}, 90_000);
