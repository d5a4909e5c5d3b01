import type { Logger } from "@wh/core";
import type { PrismaClient } from "@wh/db";
import { countLedgerEvents, findLedgerEvents, searchLedgerEvents } from "@wh/ops";
import type { ReplayWebhookJobOptions } from "@wh/queue";
import { requireJsonContentType } from "@wh/http";
import express, { type Router } from "express";
import { operatorIdentity } from "../auth/operator-identity";
import {
  detailParams,
  encodeCursor,
  previewQuerySchema,
  REPLAY_DEFAULT_STATUSES,
  replayBodySchema,
  searchQuerySchema,
  toLedgerFilter,
  validationError,
} from "./admin-query";
import { deliveryJobs } from "./delivery-jobs";
import { ledgerEventJson } from "./ledger-event-json";
import { replayWithAudit } from "./replay-with-audit";
import { runAdminReplay, type AdminReplayResult } from "./run-admin-replay";

export interface AdminApiDependencies {
  prisma: PrismaClient;
  /** The webhook queues and what replayed jobs are signed and added with (the CLI's settings). */
  replay: ReplayWebhookJobOptions;
  log: Logger;
}

const MAX_BODY_BYTES = 16 * 1024;


const replayedEvents = (run: AdminReplayResult) =>
  run.events.map(({ row, result }) => ({ event: ledgerEventJson(row, { payload: false }), ...result }));

/**
 * The operators' JSON API under /admin/api: search the ledger, look at one delivery, preview and
 * run replays. Reads need a viewer, replays an admin (`operatorAccess.requireForMethod` in front);
 * the replays run the replay CLI's own code (@wh/ops) and each request is written to `replay_audits`.
 */
export function adminApi(deps: AdminApiDependencies): Router {
  const api = express.Router();

  api.get("/events", async (req, res) => {
    const query = searchQuerySchema.safeParse(req.query);
    if (!query.success) {
      res.status(400).json(validationError(query.error));
      return;
    }
    const { cursor, limit, ...filter } = query.data;
    const page = await searchLedgerEvents(deps.prisma, toLedgerFilter(filter), { limit, after: cursor });
    res.json({
      events: page.rows.map((row) => ledgerEventJson(row, { payload: false })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  api.get("/events/:provider/:eventId", async (req, res) => {
    const params = detailParams.safeParse(req.params);
    if (!params.success) {
      res.status(400).json(validationError(params.error));
      return;
    }
    const [row] = await findLedgerEvents(deps.prisma, params.data);
    if (!row) {
      res.status(404).json({ error: "no such event" });
      return;
    }
    res.json({ event: ledgerEventJson(row, { payload: true }), jobs: await deliveryJobs(deps.replay.queues, row.provider, row.eventId) });
  });

  api.get("/replays/preview", async (req, res) => {
    const query = previewQuerySchema.safeParse(req.query);
    if (!query.success) {
      res.status(400).json(validationError(query.error));
      return;
    }
    const { limit, ...input } = query.data;
    const filter = toLedgerFilter(input, REPLAY_DEFAULT_STATUSES);
    const matching = await countLedgerEvents(deps.prisma, filter);
    const run = await runAdminReplay(deps.prisma, deps.replay, { ...filter, limit }, false);
    res.json({ matching, limit, tally: run.tally, events: replayedEvents(run) });
  });

  api.post("/replays", requireJsonContentType, express.json({ limit: MAX_BODY_BYTES }), async (req, res) => {
    const body = replayBodySchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(validationError(body.error));
      return;
    }
    const { auditId, run } = await replayWithAudit(deps, body.data, operatorIdentity(req, res));
    res.json({ auditId, dryRun: body.data.dryRun, tally: run.tally, events: replayedEvents(run) });
  });

  return api;
}
