import { WEBHOOK_QUEUE_NAMES, type WebhookJob } from "@wh/queue";
import { Worker, type ConnectionOptions } from "bullmq";
import type { Pool } from "pg";

export interface BareWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  pool: Pool;
}

interface SubscriptionPayload {
  data: {
    object: {
      id: string;
      customer: string;
      status: string;
      cancel_at_period_end: boolean;
      items: { data: { price: { lookup_key: string | null }; current_period_start: number; current_period_end: number }[] };
    };
  };
}

const GRANTING_STATUSES = new Set(["active", "trialing", "past_due"]);
const seconds = (value: number) => new Date(value * 1000);

/**
 * The bare worker: a BullMQ Worker on the Stripe queue applying `customer.subscription.*` in one
 * `pg` transaction of six statements (BEGIN, ledger insert, subscription upsert guarded by the
 * event time, the user's plan, ledger settle, COMMIT). No advisory locks, no tie-breaks: the
 * least a correct-looking worker does, and what ours is measured against.
 */
export function createBareWorker(options: BareWorkerOptions): Worker<WebhookJob> {
  const apply = async (job: WebhookJob): Promise<string> => {
    const sub = (job.payload as unknown as SubscriptionPayload).data.object;
    const item = sub.items.data[0]!;
    const plan = GRANTING_STATUSES.has(sub.status) ? item.price.lookup_key : null;
    const client = await options.pool.connect();
    try {
      await client.query("BEGIN");
      const ledger = await client.query<{ id: string }>(
        `INSERT INTO webhook_events (provider, event_id, type, status, attempts, object_id, event_created_at, received_at, payload)
         VALUES ('stripe', $1, $2, 'failed', 1, $3, $4, $5, $6)
         ON CONFLICT (provider, event_id) DO NOTHING RETURNING id`,
        [job.eventId, job.type, sub.id, new Date(job.eventCreatedAt), new Date(job.receivedAt), job.payload],
      );
      const ledgerId = ledger.rows[0]?.id;
      if (ledgerId === undefined) {
        await client.query("COMMIT");
        return "duplicate";
      }
      const upserted = await client.query<{ user_id: string }>(
        `INSERT INTO subscriptions (id, stripe_subscription_id, user_id, stripe_customer_id, status, plan,
           current_period_start, current_period_end, cancel_at_period_end, last_event_at, last_event_id, updated_at)
         SELECT gen_random_uuid(), $1, c.user_id, $2, $3, $4, $5, $6, $7, $8, $9, now()
           FROM stripe_customers c WHERE c.stripe_customer_id = $2
         ON CONFLICT (stripe_subscription_id) DO UPDATE SET status = EXCLUDED.status, plan = EXCLUDED.plan,
           current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end,
           cancel_at_period_end = EXCLUDED.cancel_at_period_end, last_event_at = EXCLUDED.last_event_at,
           last_event_id = EXCLUDED.last_event_id, updated_at = now()
         WHERE subscriptions.last_event_at < EXCLUDED.last_event_at
         RETURNING user_id`,
        [
          sub.id, sub.customer, sub.status, item.price.lookup_key, seconds(item.current_period_start),
          seconds(item.current_period_end), sub.cancel_at_period_end, new Date(job.eventCreatedAt), job.eventId,
        ],
      );
      const userId = upserted.rows[0]?.user_id;
      if (userId !== undefined) {
        await client.query("UPDATE users SET current_plan = $2, updated_at = now() WHERE id = $1", [userId, plan]);
      }
      const status = userId === undefined ? "skipped_stale" : "completed";
      await client.query("UPDATE webhook_events SET status = $2, processed_at = now() WHERE id = $1", [ledgerId, status]);
      await client.query("COMMIT");
      return status;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  return new Worker<WebhookJob>(WEBHOOK_QUEUE_NAMES.stripe, (job) => apply(job.data), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
  });
}
