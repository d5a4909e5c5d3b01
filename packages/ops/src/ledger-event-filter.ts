import type { EventStatus } from "@wh/db";
import type { WebhookProvider } from "@wh/queue";

/**
 * Which ledger rows an operator means: the replay CLI's flags and the admin API's query both
 * become one of these. Every field narrows; none set means every row.
 */
export interface LedgerEventFilter {
  /** The provider's delivery id (Stripe `evt_…`, Clerk `msg_…`). */
  eventId?: string;
  /** Stripe `data.object.id` or Clerk `data.id`. */
  objectId?: string;
  /** Our user's id (users.id, a UUID) or their Clerk id (`user_…`). */
  userId?: string;
  /** A Stripe customer id (`cus_…`). */
  customerId?: string;
  provider?: WebhookProvider;
  type?: string;
  statuses?: readonly EventStatus[];
  /** Inclusive lower bound on `received_at`. */
  since?: Date;
  /** Exclusive upper bound on `received_at`. */
  until?: Date;
}
