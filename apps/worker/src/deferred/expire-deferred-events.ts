import { Prisma, type PrismaClient } from "@wh/db";
import { WAIT_KEY_EXISTS_SQL } from "./wait-key";

export interface ExpiredEvent {
  provider: string;
  eventId: string;
  type: string;
  waitKey: string;
}

/**
 * Deferred events received before `before` whose key still does not exist become `dead`: what
 * they wait for did not come within the providers' retry horizon, so it will not come by itself.
 * They stay in the ledger for an operator (replay runs them again once the key exists).
 */
export function expireDeferredEvents(prisma: PrismaClient, before: Date): Promise<ExpiredEvent[]> {
  return prisma.$queryRaw<ExpiredEvent[]>`
    UPDATE webhook_events w
    SET status = 'dead', processed_at = now(),
        last_error = 'waited until the deferral horizon for ' || w.wait_key || ', which never appeared'
    WHERE w.status = 'deferred' AND w.received_at < ${before.toISOString()}::timestamptz
      AND NOT ${Prisma.raw(WAIT_KEY_EXISTS_SQL)}
    RETURNING w.provider::text AS provider, w.event_id AS "eventId", w.type, w.wait_key AS "waitKey"`;
}
