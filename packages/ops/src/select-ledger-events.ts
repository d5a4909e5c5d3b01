import type { EventStatus, Prisma, PrismaClient } from "@wh/db";
import type { WebhookProvider } from "@wh/queue";
import type { LedgerEventFilter } from "./ledger-event-filter";

/** A ledger row with what replay and search need: the stored payload and the job fields around it. */
export interface LedgerEvent {
  id: bigint;
  provider: WebhookProvider;
  eventId: string;
  type: string;
  status: EventStatus;
  objectId: string | null;
  userId: string | null;
  stripeCustomerId: string | null;
  attempts: number;
  lastError: string | null;
  eventCreatedAt: Date;
  receivedAt: Date;
  processedAt: Date | null;
  payload: Prisma.JsonValue;
}

const LEDGER_EVENT_FIELDS = {
  id: true,
  provider: true,
  eventId: true,
  type: true,
  status: true,
  objectId: true,
  userId: true,
  stripeCustomerId: true,
  attempts: true,
  lastError: true,
  eventCreatedAt: true,
  receivedAt: true,
  processedAt: true,
  payload: true,
} as const satisfies Prisma.WebhookEventSelect;

/** A filter with a row cap, as replay runs take it. */
export type LimitedFilter = LedgerEventFilter & { limit?: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Prisma condition of a filter. `userId` may be our UUID or a Clerk id: a Clerk id is turned
 * into our id through the users table first (one indexed lookup), so the ledger is searched on
 * its own `user_id` index either way; an unknown Clerk id matches nothing.
 */
export async function ledgerEventWhere(prisma: PrismaClient, filter: LedgerEventFilter): Promise<Prisma.WebhookEventWhereInput> {
  let userId = filter.userId;
  if (userId !== undefined && !UUID.test(userId)) {
    const user = await prisma.user.findUnique({ where: { clerkUserId: userId }, select: { id: true } });
    userId = user?.id;
    if (userId === undefined) return { id: { lt: 0n } };
  }
  return {
    eventId: filter.eventId,
    objectId: filter.objectId,
    userId,
    stripeCustomerId: filter.customerId,
    provider: filter.provider,
    type: filter.type,
    status: filter.statuses ? { in: [...filter.statuses] } : undefined,
    receivedAt: { gte: filter.since, lt: filter.until },
  };
}

/** Every ledger row of one delivery id: one, or one per provider when both used the same id. */
export function findLedgerEvents(prisma: PrismaClient, selection: { eventId: string; provider?: WebhookProvider }): Promise<LedgerEvent[]> {
  return prisma.webhookEvent.findMany({
    where: { eventId: selection.eventId, provider: selection.provider },
    select: LEDGER_EVENT_FIELDS,
    orderBy: { provider: "asc" },
  });
}

/** The ledger rows of some delivery ids of one provider (a page of a provider's listing, for reconciliation). */
export function findLedgerEventsByIds(prisma: PrismaClient, provider: WebhookProvider, eventIds: readonly string[]): Promise<LedgerEvent[]> {
  return prisma.webhookEvent.findMany({ where: { provider, eventId: { in: [...eventIds] } }, select: LEDGER_EVENT_FIELDS });
}

/** How many rows the filter selects now (capped by `limit`), for progress and previews. */
export async function countLedgerEvents(prisma: PrismaClient, filter: LimitedFilter): Promise<number> {
  const count = await prisma.webhookEvent.count({ where: await ledgerEventWhere(prisma, filter) });
  return filter.limit === undefined ? count : Math.min(count, filter.limit);
}

/**
 * The selected rows, oldest `received_at` first, read in pages of `pageSize` so a large backlog
 * is never held in memory. Keyset pagination on (received_at, id): rows whose status changes
 * while the run replays them (the workers settle them) neither shift nor repeat a page.
 */
export async function* pageLedgerEvents(prisma: PrismaClient, filter: LimitedFilter, pageSize: number): AsyncGenerator<LedgerEvent> {
  const where = await ledgerEventWhere(prisma, filter);
  let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
  let after: { receivedAt: Date; id: bigint } | undefined;
  while (remaining > 0) {
    const page = await prisma.webhookEvent.findMany({
      where: after
        ? {
            AND: [
              where,
              {
                OR: [
                  { receivedAt: { gt: after.receivedAt } },
                  { receivedAt: after.receivedAt, id: { gt: after.id } },
                ],
              },
            ],
          }
        : where,
      select: LEDGER_EVENT_FIELDS,
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: Math.min(pageSize, remaining),
    });
    for (const row of page) yield row;
    remaining -= page.length;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}

/** Where the next page of a newest-first search starts: the last row shown. */
export interface SearchCursor {
  receivedAt: Date;
  id: bigint;
}

export interface SearchPage {
  rows: LedgerEvent[];
  /** Set when more rows follow. */
  next?: SearchCursor;
}

/** One page of the filter's rows, newest `received_at` first (keyset on received_at, id, descending). */
export async function searchLedgerEvents(
  prisma: PrismaClient,
  filter: LedgerEventFilter,
  page: { limit: number; after?: SearchCursor },
): Promise<SearchPage> {
  const where = await ledgerEventWhere(prisma, filter);
  const after = page.after;
  const rows = await prisma.webhookEvent.findMany({
    where: after
      ? { AND: [where, { OR: [{ receivedAt: { lt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { lt: after.id } }] }] }
      : where,
    select: LEDGER_EVENT_FIELDS,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return rows.length > page.limit && last ? { rows: shown, next: { receivedAt: last.receivedAt, id: last.id } } : { rows: shown };
}
