/**
 * `ops-cli trigger <event>`: one realistic signed delivery to a running receiver, then what the
 * ledger recorded. The parts: trigger-args.ts (flags), resolve-trigger-subject.ts (user,
 * customer, subscription from Postgres), build-trigger-delivery.ts (payload and signature, from
 * @wh/provider-events), send-delivery.ts, wait-for-ledger.ts, trigger-report.ts.
 */
import { createPrismaClient, type PrismaClient } from "@wh/db";
import { UsageError, type CliIo } from "../cli-io";
import { loadTriggerEnv } from "../env";
import { buildTriggerDelivery } from "./build-trigger-delivery";
import { resolveTriggerSubject, type TriggerSubject } from "./resolve-trigger-subject";
import { sendDelivery } from "./send-delivery";
import { parseTriggerArgs } from "./trigger-args";
import { TRIGGER_EVENTS } from "./trigger-events";
import { TRIGGER_HELP } from "./trigger-help";
import { formatTriggerReport, formatTriggerSummary, type TriggerState } from "./trigger-report";
import { waitForLedgerOutcome } from "./wait-for-ledger";

/** Statuses after which the event needs nothing more: exit 0. */
const SETTLED_STATUSES = new Set(["completed", "skipped_stale", "skipped_duplicate", "ignored", "deferred"]);

export async function runTriggerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseTriggerArgs(argv);
  if (!parsed.ok) throw new UsageError(parsed.message);
  if (parsed.command === "help") {
    io.stdout.write(TRIGGER_HELP);
    return 0;
  }
  const args = parsed.args;
  const provider = TRIGGER_EVENTS[args.event].provider;
  const config = loadTriggerEnv(io.env, provider);

  const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolMax: 1 });
  try {
    const subject = await resolveTriggerSubject(prisma, args, new Date());
    const delivery = buildTriggerDelivery(args.event, subject, args.plan, config.signingSecret);
    io.stderr.write(`[trigger] sending ${args.event} (${delivery.eventId}) to ${args.receiverUrl}${delivery.path}\n`);
    const httpStatus = await sendDelivery(args.receiverUrl, delivery);
    if (args.timeoutMs === 0) {
      io.stdout.write(`${formatTriggerReport(delivery, subject, httpStatus, undefined, { user: null, subscription: null })[0]}\n`);
      io.stderr.write(`[trigger] ${args.event}: accepted (${httpStatus}); not waiting for the ledger (--timeout 0)\n`);
      return 0;
    }
    const outcome = await waitForLedgerOutcome(prisma, delivery, args.timeoutMs, io.signal);
    const state = await readState(prisma, subject);
    for (const line of formatTriggerReport(delivery, subject, httpStatus, outcome, state)) io.stdout.write(`${line}\n`);
    io.stderr.write(`${formatTriggerSummary(args.event, outcome, state, args.timeoutMs)}\n`);
    return outcome && SETTLED_STATUSES.has(outcome.status) ? 0 : 1;
  } finally {
    await prisma.$disconnect();
  }
}

async function readState(prisma: PrismaClient, subject: TriggerSubject): Promise<TriggerState> {
  const [user, subscription] = await Promise.all([
    prisma.user.findUnique({
      where: { clerkUserId: subject.clerkUserId },
      select: { clerkUserId: true, currentPlan: true, stripeCustomerId: true, deletedAt: true },
    }),
    subject.subscriptionId
      ? prisma.subscription.findUnique({
          where: { stripeSubscriptionId: subject.subscriptionId },
          select: { stripeSubscriptionId: true, status: true, plan: true },
        })
      : null,
  ]);
  return { user, subscription };
}
