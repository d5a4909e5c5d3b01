import { Client } from "pg";
import type { SubscriptionWorkload } from "./subscription-workload";

/** Statuses of a delivery that took effect or was settled without one; anything else is a failure. */
const SETTLED = ["completed", "skipped_stale", "skipped_duplicate", "ignored"];

export interface Verdict {
  ok: boolean;
  detail: string;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The users, customer links and subscriptions the workload's events are about, on the starter plan. */
export function seedSubscriptions(url: string, workload: SubscriptionWorkload): Promise<void> {
  return withClient(url, async (client) => {
    const params = [workload.tag, workload.subscriptions];
    await client.query(
      `INSERT INTO users (id, clerk_user_id, stripe_customer_id, stripe_linked_at, current_plan, updated_at)
       SELECT gen_random_uuid(), 'user_' || $1 || '_' || k, 'cus_' || $1 || '_' || k, now(), 'starter', now()
         FROM generate_series(0, $2::int - 1) AS k`,
      params,
    );
    await client.query(
      `INSERT INTO stripe_customers (stripe_customer_id, user_id)
       SELECT stripe_customer_id, id FROM users WHERE clerk_user_id LIKE 'user\\_' || $1 || '\\_%'`,
      [workload.tag],
    );
    await client.query(
      `INSERT INTO subscriptions (id, stripe_subscription_id, user_id, stripe_customer_id, status, plan,
         last_event_at, last_event_id, updated_at)
       SELECT gen_random_uuid(), 'sub_' || $1 || '_' || k, u.id, u.stripe_customer_id, 'active', 'starter',
         now() - interval '30 days', 'evt_seed', now()
         FROM generate_series(0, $2::int - 1) AS k JOIN users u ON u.clerk_user_id = 'user_' || $1 || '_' || k`,
      params,
    );
  });
}

/** Settled ledger rows of the workload's events (progress of a drain). */
export function settledCount(url: string, workload: SubscriptionWorkload): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ count: string }>(
      `SELECT count(*) FROM webhook_events WHERE event_id LIKE 'evt\\_' || $1 || '\\_%' AND status::text = ANY($2)`,
      [workload.tag, SETTLED],
    );
    return Number(result.rows[0]!.count);
  });
}

/**
 * Every accepted event has exactly one settled ledger row (the ledger's unique key makes a
 * second impossible; a missing or failed one shows here), no delivery failed, and every
 * subscription and its user are on the plan of the newest accepted event about it.
 */
export function verifyApplied(url: string, workload: SubscriptionWorkload, accepted: readonly number[]): Promise<Verdict> {
  return withClient(url, async (client) => {
    const ids = accepted.map((i) => workload.eventId(i));
    const ledger = await client.query<{ settled: string; unsettled: string }>(
      `SELECT count(*) FILTER (WHERE status::text = ANY($2)) AS settled,
              count(*) FILTER (WHERE NOT status::text = ANY($2)) AS unsettled
         FROM webhook_events WHERE event_id = ANY($1)`,
      [ids, SETTLED],
    );
    const settled = Number(ledger.rows[0]!.settled);
    const unsettled = Number(ledger.rows[0]!.unsettled);
    const expected = workload.expectedPlans(accepted);
    const rows = await client.query<{ sub: string; plan: string | null; user_plan: string | null }>(
      `SELECT s.stripe_subscription_id AS sub, s.plan, u.current_plan AS user_plan
         FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE s.stripe_subscription_id = ANY($1)`,
      [[...expected.keys()]],
    );
    const wrong = rows.rows.filter((row) => row.plan !== expected.get(row.sub) || row.user_plan !== expected.get(row.sub));
    const missing = expected.size - rows.rows.length;
    const ok = settled === accepted.length && unsettled === 0 && wrong.length === 0 && missing === 0;
    const detail =
      `${settled}/${accepted.length} accepted events settled once, ${unsettled} unsettled; ` +
      `${expected.size - wrong.length - missing}/${expected.size} subscriptions and users on their newest plan`;
    return { ok, detail };
  });
}
