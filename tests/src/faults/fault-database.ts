import { createMigratedDatabase, type PrismaClient } from "@wh/db";
import type { PostgresServerProcess } from "@wh/testkit";


/**
 * Idempotent effects hide a second application in the final state, so every committed write to
 * the effect tables is audited: one row per written row, with the writing transaction's id.
 * An entity written by two transactions had its event applied twice. The ledger is audited too,
 * for the writes that settle a delivery: a second settle is a second application even when the
 * handler found nothing to change (an identical snapshot writes no user or subscription row).
 */
const AUDIT_SQL = [
  `CREATE TABLE fault_effects (
     id bigserial PRIMARY KEY,
     entity text NOT NULL,
     op text NOT NULL,
     txid bigint NOT NULL DEFAULT txid_current(),
     at timestamptz NOT NULL DEFAULT clock_timestamp()
   )`,
  `CREATE FUNCTION fault_audit_user() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO fault_effects (entity, op) VALUES ('user:' || NEW.clerk_user_id, TG_OP);
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION fault_audit_subscription() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO fault_effects (entity, op) VALUES ('subscription:' || NEW.stripe_subscription_id, TG_OP);
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION fault_audit_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NEW.status IN ('completed', 'skipped_stale', 'skipped_duplicate', 'ignored')
        AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.processed_at IS DISTINCT FROM NEW.processed_at)
     THEN
       INSERT INTO fault_effects (entity, op) VALUES ('ledger:' || NEW.provider || ':' || NEW.event_id, TG_OP);
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER fault_audit_users AFTER INSERT OR UPDATE ON users
     FOR EACH ROW EXECUTE FUNCTION fault_audit_user()`,
  `CREATE TRIGGER fault_audit_subscriptions AFTER INSERT OR UPDATE ON subscriptions
     FOR EACH ROW EXECUTE FUNCTION fault_audit_subscription()`,
  `CREATE TRIGGER fault_audit_ledger AFTER INSERT OR UPDATE ON webhook_events
     FOR EACH ROW EXECUTE FUNCTION fault_audit_ledger()`,
];

export interface LedgerRow {
  provider: string;
  eventId: string;
  status: string;
  attempts: number;
  processedAt: Date | null;
}

/** A fresh database on a private cluster: migrated, audited, and a small client for assertions. */
export class FaultDatabase {
  private constructor(
    readonly url: string,
    readonly prisma: PrismaClient,
  ) {}

  static async create(server: PostgresServerProcess): Promise<FaultDatabase> {
    const { url, prisma } = await createMigratedDatabase({
      serverUrl: server.url(),
      namePrefix: "fault",
      poolMax: 2,
      connectionTimeoutMs: 2_000,
    });
    for (const statement of AUDIT_SQL) await prisma.$executeRawUnsafe(statement);
    return new FaultDatabase(url, prisma);
  }

  /**
   * Ledger rows that are settled (or dead): everything except `failed`, which will retry, and
   * `deferred`, which waits for the customer or subscription it refers to.
   */
  async settledCount(): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM webhook_events WHERE status NOT IN ('failed', 'deferred')`;
    return row?.n ?? 0;
  }

  async ledger(): Promise<Map<string, LedgerRow>> {
    const rows = await this.prisma.$queryRaw<LedgerRow[]>`
      SELECT provider::text AS provider, event_id AS "eventId", status::text AS status, attempts,
             processed_at AS "processedAt"
      FROM webhook_events`;
    return new Map(rows.map((row) => [`${row.provider}:${row.eventId}`, row]));
  }

  /** Per audited entity: how many distinct transactions wrote it. */
  async effectTransactions(): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ entity: string; transactions: number }[]>`
      SELECT entity, count(DISTINCT txid)::int AS transactions FROM fault_effects GROUP BY entity`;
    return new Map(rows.map((row) => [row.entity, row.transactions]));
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
