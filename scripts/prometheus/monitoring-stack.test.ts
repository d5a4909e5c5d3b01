import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { metricCatalog, unknownReads } from "./metric-catalog";
import { promqlReads } from "./promql-series";
import { promtool } from "./promtool";
import { SLOS } from "./slo-rules";

/**
 * The monitoring part of docker/compose.yml (Prometheus, Grafana and their files), checked as far
 * as it can be without a Docker engine: what each container reads exists, what Prometheus scrapes
 * is where the apps listen, and what the dashboard queries is what the apps export.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const DOCKER_DIR = path.join(ROOT, "docker");
const RULE_FILES = ["alerts.yml", "slo.yml"].map((file) => path.join(DOCKER_DIR, "prometheus", file));
const readYaml = <T>(file: string): T => parse(readFileSync(file, "utf8")) as T;

interface Service {
  image?: string;
  command?: string[] | string;
  ports?: string[];
  volumes?: string[];
  environment?: string[] | Record<string, string | null>;
}
const services = readYaml<{ services: Record<string, Service> }>(path.join(DOCKER_DIR, "compose.yml")).services;

function environment(service: Service): Record<string, string | undefined> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value ?? undefined]));
  return Object.fromEntries(env.map((entry) => [entry.split("=")[0]!, entry.includes("=") ? entry.slice(entry.indexOf("=") + 1) : undefined]));
}

/** The host file or folder a container path of `service` comes from, through its bind mounts. */
function hostPath(service: string, containerPath: string): string {
  for (const volume of services[service]?.volumes ?? []) {
    const [source = "", target = ""] = volume.split(":");
    if (!source.startsWith(".")) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      return path.join(path.resolve(DOCKER_DIR, source), path.relative(target, containerPath));
    }
  }
  throw new Error(`${service} mounts nothing at ${containerPath}`);
}

/** The port a container listens on for a published or internal port (`127.0.0.1:9090:9090` → 9090). */
const containerPort = (mapping: string) => Number(mapping.split(":").at(-1));

// Prometheus ----------------------------------------------------------------------------------

const prometheusFlag = (flag: string) => {
  const command = services.prometheus?.command;
  const value = (Array.isArray(command) ? command : []).find((arg) => arg.startsWith(`--${flag}=`))?.split("=")[1];
  if (!value) throw new Error(`prometheus is started without --${flag}`);
  return value;
};
const prometheusConfigFile = () => hostPath("prometheus", prometheusFlag("config.file"));

interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path?: string; scheme?: string; static_configs: { targets: string[] }[] }[];
}

/**
 * Where each app serves /metrics inside the compose network: the variables of its src/env.ts
 * that set the listener's host and port (the receiver serves them on its ops listener only).
 */
const METRICS_LISTENERS: Record<string, { host: string; port: string }> = {
  receiver: { host: "RECEIVER_OPS_HOST", port: "RECEIVER_OPS_PORT" },
  worker: { host: "WORKER_HOST", port: "WORKER_PORT" },
  dashboard: { host: "DASHBOARD_HOST", port: "DASHBOARD_PORT" },
};

it("runs pinned official Prometheus and Grafana images", () => {
  expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
  expect(services.grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
});

it("publishes every port on host loopback, except the receiver's public webhook port", () => {
  const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));

  expect(published.filter((entry) => !/^\S+ 127\.0\.0\.1:\d+:\d+$/.test(entry))).toEqual(["receiver 3000:3000"]);
  expect(published).toEqual(expect.arrayContaining([expect.stringMatching(/^prometheus 127\.0\.0\.1:/), expect.stringMatching(/^grafana 127\.0\.0\.1:/)]));
});

it("gives Prometheus its config and exactly the alert and SLO rule files, all of which exist", () => {
  const configFile = prometheusConfigFile();
  const config = readYaml<PrometheusConfig>(configFile);
  const ruleFiles = config.rule_files.map((file) => path.resolve(path.dirname(configFile), file));

  expect(configFile).toBe(path.join(DOCKER_DIR, "prometheus", "prometheus.yml"));
  expect(ruleFiles.sort()).toEqual([...RULE_FILES].sort());
  for (const file of ruleFiles) expect(existsSync(file)).toBe(true);
});

it("scrapes /metrics of every app, on the service and port where it listens", () => {
  const config = readYaml<PrometheusConfig>(prometheusConfigFile());
  const scraped = config.scrape_configs.flatMap((job) =>
    job.static_configs.flatMap((group) => group.targets.map((target) => `${job.scheme ?? "http"}://${target}${job.metrics_path ?? "/metrics"}`)),
  );
  const expected = Object.entries(METRICS_LISTENERS).map(([app, listener]) => {
    const env = environment(services[app]!);
    // The variable names are the app's own: a renamed one would leave compose setting nothing.
    for (const name of [listener.host, listener.port]) expect(readFileSync(path.join(ROOT, "apps", app, "src", "env.ts"), "utf8")).toContain(`${name}:`);
    expect([app, env[listener.host]]).toEqual([app, "0.0.0.0"]);
    return `http://${app}:${env[listener.port]}/metrics`;
  });

  expect(scraped.sort()).toEqual(expected.sort());
});

it("has a Prometheus config that promtool accepts, rule files included", () => {
  const { status, output } = promtool("check", "config", prometheusConfigFile());

  expect(output).not.toMatch(/FAILED/);
  expect(status).toBe(0);
});

// Grafana -------------------------------------------------------------------------------------

const GRAFANA_PROVISIONING = "/etc/grafana/provisioning";

interface Datasource {
  uid: string;
  type: string;
  url: string;
}
const datasources = (): Datasource[] => {
  const dir = hostPath("grafana", `${GRAFANA_PROVISIONING}/datasources`);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yml"))
    .flatMap((file) => readYaml<{ datasources: Datasource[] }>(path.join(dir, file)).datasources);
};

/** Every dashboard file the provisioned providers load, by host path. */
function dashboardFiles(): string[] {
  const dir = hostPath("grafana", `${GRAFANA_PROVISIONING}/dashboards`);
  const providers = readdirSync(dir)
    .filter((file) => file.endsWith(".yml"))
    .flatMap((file) => readYaml<{ providers: { type: string; options: { path: string } }[] }>(path.join(dir, file)).providers);
  return providers.flatMap((provider) => {
    const folder = hostPath("grafana", provider.options.path);
    return readdirSync(folder)
      .filter((file) => file.endsWith(".json"))
      .map((file) => path.join(folder, file));
  });
}

interface Panel {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}
const dashboards = () => dashboardFiles().map((file) => JSON.parse(readFileSync(file, "utf8")) as { uid: string; panels: Panel[] });
const queries = () => dashboards().flatMap((dashboard) => dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr }))));

/** Every `datasource.uid` anywhere in a JSON document. */
function datasourceUids(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(datasourceUids);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "datasource" && value !== null && typeof value === "object" && "uid" in value ? [String(value.uid), ...datasourceUids(value)] : datasourceUids(value),
  );
}

/** The series a dashboard must show: queues, end-to-end latency, SLO burn, receiver answers, pools, Redis, failures. */
const SHOWN = [
  "webhook_queue_jobs",
  "webhook_queue_oldest_waiting_seconds",
  "webhook_event_end_to_end_seconds_bucket",
  "slo:webhook_ack_errors:ratio_rate1h",
  "slo:webhook_apply_errors:ratio_rate1h",
  "webhook_deliveries_total",
  "db_pool_connections",
  "db_pool_acquire_seconds_bucket",
  "redis_memory_used_bytes",
  "redis_memory_max_bytes",
  "webhook_events_dead_total",
  "webhook_jobs_unauthenticated_total",
  "webhook_jobs_stalled_total",
];

it("provisions the compose network's Prometheus as a data source", () => {
  const prometheusPort = containerPort(services.prometheus!.ports![0]!);

  expect(datasources().filter((source) => source.type === "prometheus").map((source) => source.url)).toEqual([`http://prometheus:${prometheusPort}`]);
});

it("provisions the dashboards, each referring only to provisioned data sources", () => {
  const provisioned = new Set(datasources().map((source) => source.uid));
  const referenced = new Set(dashboards().flatMap(datasourceUids));

  expect(dashboardFiles().length).toBeGreaterThan(0);
  expect([...referenced].filter((uid) => !provisioned.has(uid))).toEqual([]);
  expect(referenced.size).toBeGreaterThan(0);
});

it("queries only series the apps export or slo.yml records, by labels they carry", () => {
  const catalog = metricCatalog(RULE_FILES);
  const problems = queries().flatMap(({ panel, expr }) => unknownReads(expr, catalog).map((problem) => `${panel}: ${problem}`));

  expect(queries().length).toBeGreaterThan(10);
  expect(problems).toEqual([]);
});

it("would refuse a dashboard query of a metric that does not exist, or of a label it lacks", () => {
  const catalog = metricCatalog(RULE_FILES);

  expect(unknownReads(`sum(rate(webhook_jobs_lost_total[$__rate_interval]))`, catalog)).toEqual(["webhook_jobs_lost_total: no such metric or recording rule"]);
  expect(unknownReads(`max by (provider) (webhook_queue_jobs{state="waiting"})`, catalog)).toEqual(["provider: no series of this expression has this label"]);
  expect(unknownReads(`db_pool_connections{queue="x"}`, catalog)).toEqual(["db_pool_connections: has no label queue"]);
});

it("shows queues, live end-to-end latency, both SLOs' burn, receiver answers, pools, Redis memory and failures", () => {
  const read = new Set(queries().flatMap(({ expr }) => promqlReads(expr).selectors.map((selector) => selector.metric)));
  const live = queries().filter(({ expr }) => expr.includes("webhook_event_end_to_end_seconds_bucket"));

  expect(SHOWN.filter((series) => !read.has(series))).toEqual([]);
  expect(live.map(({ expr }) => expr).every((expr) => expr.includes('path="live"'))).toBe(true);
});

it("turns SLO error ratios into burn rates with each SLO's own budget", () => {
  const divisors = queries().flatMap(({ expr }) => [...expr.matchAll(/slo:(\w+)_errors:ratio_rate\w+ \/ ([\d.]+)/g)].map((match) => [match[1], Number(match[2])]));
  const budgets = Object.fromEntries(SLOS.map((slo) => [slo.name, Number((1 - slo.objective).toPrecision(6))]));

  expect(divisors.length).toBeGreaterThan(0);
  for (const [slo, divisor] of divisors) expect([slo, divisor]).toEqual([slo, budgets[slo!]]);
});

it("has dashboard queries that Prometheus parses", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "grafana-queries-"));
  try {
    const file = path.join(dir, "queries.yml");
    // Grafana's range variables stand for a duration.
    const rules = queries().map(({ expr }, index) => ({ record: `dashboard:query:${index}`, expr: expr.replace(/\$__\w+/g, "5m") }));
    writeFileSync(file, stringify({ groups: [{ name: "dashboard-queries", rules }] }));
    const { status, output } = promtool("check", "rules", file);

    expect(output).not.toMatch(/FAILED/);
    expect(status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("takes Grafana's admin password from docker/.env, with no default in the files", () => {
  const env = environment(services.grafana!);

  expect(env.GF_SECURITY_ADMIN_PASSWORD).toBe("${GRAFANA_ADMIN_PASSWORD:-}");
  expect(readFileSync(path.join(DOCKER_DIR, ".env.example"), "utf8")).toMatch(/^GRAFANA_ADMIN_PASSWORD=$/m);
  expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe("false");
});
