import type { EventStatus, Prisma, PrismaClient } from "@wh/db";
import type { WebhookProvider } from "@wh/queue";
import type { EventSelection, FilterSelection } from "./replay-args";

/** A ledger row with what replay needs: the stored payload and the job fields around it. */
export interface LedgerEvent {
  id: bigint;
  provider: WebhookProvider;
  eventId: string;
  type: string;
  status: EventStatus;
  objectId: string | null;
  eventCreatedAt: Date;
  receivedAt: Date;
  payload: Prisma.JsonValue;
}

const LEDGER_EVENT_FIELDS = {
  id: true,
  provider: true,
  eventId: true,
  type: true,
  status: true,
  objectId: true,
  eventCreatedAt: true,
  receivedAt: true,
  payload: true,
} as const satisfies Prisma.WebhookEventSelect;

/** Every ledger row of one delivery id: one, or one per provider when both used the same id. */
export function findLedgerEvents(prisma: PrismaClient, selection: EventSelection): Promise<LedgerEvent[]> {
  return prisma.webhookEvent.findMany({
    where: { eventId: selection.eventId, provider: selection.provider },
    select: LEDGER_EVENT_FIELDS,
    orderBy: { provider: "asc" },
  });
}

function filterWhere(selection: FilterSelection): Prisma.WebhookEventWhereInput {
  return {
    status: { in: selection.statuses },
    provider: selection.provider,
    type: selection.type,
    receivedAt: { gte: selection.since, lt: selection.until },
  };
}

/** How many rows the filters select now (capped by --limit), for progress. */
export async function countLedgerEvents(prisma: PrismaClient, selection: FilterSelection): Promise<number> {
  const count = await prisma.webhookEvent.count({ where: filterWhere(selection) });
  return selection.limit === undefined ? count : Math.min(count, selection.limit);
}

/**
 * The selected rows, oldest `received_at` first, read in pages of `pageSize` so a large backlog
 * is never held in memory. Keyset pagination on (received_at, id): rows whose status changes
 * while the run replays them (the workers settle them) neither shift nor repeat a page.
 */
export async function* pageLedgerEvents(
  prisma: PrismaClient,
  selection: FilterSelection,
  pageSize: number,
): AsyncGenerator<LedgerEvent> {
  const where = filterWhere(selection);
  let remaining = selection.limit ?? Number.POSITIVE_INFINITY;
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
