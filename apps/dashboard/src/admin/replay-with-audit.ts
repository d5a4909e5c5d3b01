import type { Logger } from "@wh/core";
import type { Prisma, PrismaClient } from "@wh/db";
import type { ReplayWebhookJobOptions } from "@wh/queue";
import type { z } from "zod";
import type { OperatorIdentity } from "../auth/operator-identity";
import { REPLAY_DEFAULT_STATUSES, toLedgerFilter, type replayBodySchema } from "./admin-query";
import { runAdminReplay, type AdminReplayResult } from "./run-admin-replay";

export interface ReplayContext {
  prisma: PrismaClient;
  replay: ReplayWebhookJobOptions;
  log: Logger;
}

export type ReplayRequest = z.infer<typeof replayBodySchema>;

/** Runs (or dry-runs) an operator's replay and writes it to `replay_audits`: the API and the page both come here. */
export async function replayWithAudit(
  context: ReplayContext,
  request: ReplayRequest,
  who: OperatorIdentity,
): Promise<{ auditId: string; run: AdminReplayResult }> {
  const { limit, ...input } = request.filter;
  const filter = { ...toLedgerFilter(input, REPLAY_DEFAULT_STATUSES), limit };
  const run = await runAdminReplay(context.prisma, context.replay, filter, !request.dryRun);
  const audit = await context.prisma.replayAudit.create({
    data: {
      role: who.role,
      tokenFingerprint: who.tokenFingerprint,
      claimedUser: who.claimedUser,
      filter: JSON.parse(JSON.stringify(request.filter)) as Prisma.InputJsonObject,
      dryRun: request.dryRun,
      selected: run.tally.selected,
      tally: { ...run.tally },
    },
    select: { id: true },
  });
  const auditId = audit.id.toString();
  context.log.info({ auditId, role: who.role, tokenFingerprint: who.tokenFingerprint, dryRun: request.dryRun, ...run.tally }, "admin replay");
  return { auditId, run };
}
