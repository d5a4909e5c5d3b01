import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";

/** A delivery the receiver acknowledged (2xx), as the artillery processor recorded it. */
export interface AcceptedDelivery {
  provider: "stripe" | "clerk";
  eventId: string;
  type: string;
  /** The Clerk user it creates or names, the customer it links, the subscription it creates or updates. */
  user?: string;
  customer?: string;
  subscription?: string;
}

/** What the run's database holds: ledger rows per delivery, and the effects we can count. */
export interface LedgerSnapshot {
  /** `provider event_id` → the statuses of its ledger rows (one row, when exactly once holds). */
  rows: Map<string, string[]>;
  users: number;
  customerLinks: number;
  subscriptions: number;
  usersOnPlan: number;
}

export interface CountCheck {
  name: string;
  expected: number;
  actual: number;
}

export interface DatabaseVerdict {
  ok: boolean;
  acceptedDeliveries: number;
  distinctEvents: number;
  ledgerRows: number;
  /** Ledger rows by status, over the accepted events. */
  statuses: Record<string, number>;
  /** Accepted events without a ledger row, with more than one, or not applied (failed, dead, deferred). */
  missing: number;
  duplicated: number;
  notApplied: number;
  effects: CountCheck[];
  problems: string[];
}

/** Ledger statuses of an event that was handled: applied, or rightly not applied (stale, duplicate, ignored). */
export const APPLIED_STATUSES = ["completed", "skipped_stale", "skipped_duplicate", "ignored"] as const;

/** The plan every load-test subscription carries (processor.js). */
export const LOAD_PLAN = "pro";

const keyOf = (delivery: { provider: string; eventId: string }) => `${delivery.provider} ${delivery.eventId}`;

/** Every `accepted-*.jsonl` the processor's workers wrote into the run folder. */
export function readAcceptedDeliveries(runDir: string): AcceptedDelivery[] {
  return readdirSync(runDir)
    .filter((file) => /^accepted-.*\.jsonl$/.test(file))
    .flatMap((file) => readFileSync(path.join(runDir, file), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as AcceptedDelivery);
}

/** The ledger and effect counts of the run's own database (every row in it belongs to the run). */
export async function readLedger(databaseUrl: string): Promise<LedgerSnapshot> {
  const client = new Client({ connectionString: databaseUrl, application_name: "load-database-check" });
  await client.connect();
  try {
    const { rows } = await client.query<{ provider: string; event_id: string; status: string }>(
      "SELECT provider::text AS provider, event_id, status::text AS status FROM webhook_events",
    );
    const byEvent = new Map<string, string[]>();
    for (const row of rows) {
      const key = keyOf({ provider: row.provider, eventId: row.event_id });
      byEvent.set(key, [...(byEvent.get(key) ?? []), row.status]);
    }
    const count = async (sql: string, values: unknown[] = []) => Number((await client.query<{ n: string }>(sql, values)).rows[0]!.n);
    return {
      rows: byEvent,
      users: await count("SELECT count(*) AS n FROM users"),
      customerLinks: await count("SELECT count(*) AS n FROM stripe_customers"),
      subscriptions: await count("SELECT count(*) AS n FROM subscriptions"),
      usersOnPlan: await count("SELECT count(*) AS n FROM users WHERE current_plan = $1", [LOAD_PLAN]),
    };
  } finally {
    await client.end();
  }
}

/** Ledger rows with a settled status (applied or dead): what the drain waits for. */
export async function countSettledRows(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl, application_name: "load-drain-wait" });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM webhook_events WHERE status::text = ANY($1)", [
      [...APPLIED_STATUSES, "dead"],
    ]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

const distinct = (values: (string | undefined)[]) => new Set(values.filter((value): value is string => value !== undefined)).size;

/**
 * Exactly once: every accepted event has exactly one ledger row, in an applied status, and the
 * effects equal what the accepted events ask for — one user per Clerk user, one link per checked
 * out customer, one subscription per subscription, the plan on every subscribed user — however
 * often each event was delivered.
 */
export function judgeDatabase(accepted: readonly AcceptedDelivery[], ledger: LedgerSnapshot): DatabaseVerdict {
  const events = new Map(accepted.map((delivery) => [keyOf(delivery), delivery]));
  const statuses: Record<string, number> = {};
  let missing = 0;
  let duplicated = 0;
  let notApplied = 0;
  for (const key of events.keys()) {
    const rows = ledger.rows.get(key) ?? [];
    for (const status of rows) statuses[status] = (statuses[status] ?? 0) + 1;
    if (rows.length === 0) missing += 1;
    if (rows.length > 1) duplicated += 1;
    if (rows.some((status) => !(APPLIED_STATUSES as readonly string[]).includes(status))) notApplied += 1;
  }
  const unique = [...events.values()];
  const subscriptionEvents = unique.filter((delivery) => delivery.subscription !== undefined);
  const effects: CountCheck[] = [
    { name: "users", expected: distinct(unique.map((delivery) => delivery.user)), actual: ledger.users },
    {
      name: "customer links",
      expected: distinct(unique.filter((delivery) => delivery.type === "checkout.session.completed").map((delivery) => delivery.customer)),
      actual: ledger.customerLinks,
    },
    { name: "subscriptions", expected: distinct(subscriptionEvents.map((delivery) => delivery.subscription)), actual: ledger.subscriptions },
    { name: `users on plan ${LOAD_PLAN}`, expected: distinct(subscriptionEvents.map((delivery) => delivery.user)), actual: ledger.usersOnPlan },
  ];
  const problems = [
    ...(missing > 0 ? [`${missing} accepted events have no ledger row`] : []),
    ...(duplicated > 0 ? [`${duplicated} accepted events have more than one ledger row`] : []),
    ...(notApplied > 0 ? [`${notApplied} accepted events are not applied (failed, dead or deferred)`] : []),
    ...effects.filter((check) => check.expected !== check.actual).map((check) => `${check.name}: expected ${check.expected}, found ${check.actual}`),
  ];
  return {
    ok: problems.length === 0,
    acceptedDeliveries: accepted.length,
    distinctEvents: events.size,
    ledgerRows: [...ledger.rows.values()].reduce((sum, rows) => sum + rows.length, 0),
    statuses,
    missing,
    duplicated,
    notApplied,
    effects,
    problems,
  };
}
