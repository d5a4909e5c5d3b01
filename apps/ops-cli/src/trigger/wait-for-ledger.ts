import type { PrismaClient } from "@wh/db";
import type { WebhookProvider } from "@wh/queue";

/** What the ledger recorded for one delivery. */
export interface LedgerOutcome {
  status: string;
  attempts: number;
  lastError: string | null;
}

/** `failed` will be retried: anything else is where the delivery stays until something happens. */
const IN_FLIGHT_STATUSES = new Set(["failed"]);
const POLL_INTERVAL_MS = 200;

/**
 * Polls the ledger row of one delivery until it settles or `timeoutMs` passes; returns the last
 * row seen (a `failed` one at the deadline), or undefined when there was none.
 */
export async function waitForLedgerOutcome(
  prisma: PrismaClient,
  delivery: { provider: WebhookProvider; eventId: string },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<LedgerOutcome | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await prisma.webhookEvent.findUnique({
      where: { provider_eventId: { provider: delivery.provider, eventId: delivery.eventId } },
      select: { status: true, attempts: true, lastError: true },
    });
    if (row && !IN_FLIGHT_STATUSES.has(row.status)) return row;
    if (Date.now() >= deadline || signal.aborted) return row ?? undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
