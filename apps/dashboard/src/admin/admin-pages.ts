import { WEBHOOK_PROVIDERS } from "@wh/queue";
import { countLedgerEvents, findLedgerEvents, replayAction, searchLedgerEvents, type EventResult, type LedgerEvent } from "@wh/ops";
import express, { type Response, type Router } from "express";
import type { z } from "zod";
import type { OperatorAccess } from "../auth/operator-access";
import { operatorIdentity } from "../auth/operator-identity";
import { BULL_BOARD_PATH } from "../bull-board";
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
import { ADMIN_STYLESHEET } from "./admin-stylesheet";
import { deliveryJobs } from "./delivery-jobs";
import { html, type SafeHtml } from "./html";
import { replayWithAudit, type ReplayContext } from "./replay-with-audit";
import { runAdminReplay } from "./run-admin-replay";

import { ADMIN_PAGE_PATH } from "./admin-path";

const STYLESHEET_PATH = `${ADMIN_PAGE_PATH}/assets/admin.css`;

/**
 * No script runs on these pages, styles come from one file of ours, forms post only to us and
 * nothing may frame them. Forms work without JavaScript.
 */
export const ADMIN_PAGE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["data:"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

const FILTER_FIELDS = ["eventId", "objectId", "userId", "customerId", "provider", "type", "status", "since", "until"] as const;

function page(res: Response, title: string, body: SafeHtml, status = 200): void {
  res
    .status(status)
    .type("html")
    .send(
      html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title} · Webhook operations</title><link rel="icon" href="data:,"><link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body>
<header><nav><a href="${ADMIN_PAGE_PATH}">Find events</a> <a href="${BULL_BOARD_PATH}">Queues (Bull Board)</a></nav><h1>${title}</h1></header>
<main>${body}</main>
</body>
</html>`.toString(),
    );
}

function problems(error: z.ZodError): SafeHtml {
  return html`<ul class="problems" role="alert">${validationError(error).issues.map((issue) => html`<li>${issue}</li>`)}</ul>`;
}

/** The query string of the filter fields set in `values` (and `extra`), for links between the pages. */
function filterQuery(values: Record<string, unknown>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = values[field];
    if (typeof value === "string" && value.trim() !== "") params.set(field, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

const detailLink = (row: { provider: string; eventId: string }) =>
  html`<a href="${ADMIN_PAGE_PATH}/events/${row.provider}/${encodeURIComponent(row.eventId)}">${row.eventId}</a>`;

function searchForm(values: Record<string, unknown>): SafeHtml {
  const text = (name: string, label: string, hint: string) =>
    html`<label>${label} <input name="${name}" value="${typeof values[name] === "string" ? (values[name] as string) : ""}" placeholder="${hint}"></label>`;
  return html`<form method="get" action="${ADMIN_PAGE_PATH}" class="search">
${text("customerId", "Stripe customer", "cus_…")}
${text("userId", "User (our id or Clerk id)", "user_… or UUID")}
${text("eventId", "Event id", "evt_… / msg_…")}
${text("objectId", "Object id", "sub_…, user_…")}
<label>Provider <select name="provider"><option value="">any</option>${WEBHOOK_PROVIDERS.map(
    (provider) => html`<option value="${provider}"${values.provider === provider ? html` selected` : ""}>${provider}</option>`,
  )}</select></label>
${text("type", "Type", "customer.subscription.updated")}
${text("status", "Status", "dead,failed")}
${text("since", "Received since", "2026-11-01")}
${text("until", "until", "2026-11-27T12:00:00Z")}
<button type="submit">Search</button>
</form>`;
}

function eventRows(rows: readonly { row: LedgerEvent; action?: string }[]): SafeHtml {
  return html`<table>
<thead><tr><th>Received</th><th>Provider</th><th>Type</th><th>Status</th><th>Customer</th><th>User</th><th>Event</th>${rows.some((entry) => entry.action) ? html`<th>Replay</th>` : ""}</tr></thead>
<tbody>${rows.map(
    ({ row, action }) =>
      html`<tr><td>${row.receivedAt.toISOString()}</td><td>${row.provider}</td><td>${row.type}</td><td class="status">${row.status}</td><td>${row.stripeCustomerId ?? ""}</td><td>${row.userId ?? ""}</td><td>${detailLink(row)}</td>${action === undefined ? "" : html`<td>${action}</td>`}</tr>`,
  )}</tbody>
</table>`;
}

const actionText = (result: EventResult, done: boolean) =>
  replayAction(result.outcome, done) + (result.outcome === "error" ? `: ${result.reason}` : "");

/**
 * The operators' pages, server-rendered: find events (search form and results), one event in
 * detail, and replay with a preview step. Reads need a viewer; the replay itself (a POST) an
 * admin, and runs the same code as the JSON API and the replay CLI.
 */
export function adminPages(context: ReplayContext, operators: OperatorAccess): Router {
  const pages = express.Router();

  pages.get("/assets/admin.css", operators.require("viewer"), (_req, res) => {
    res.type("css").set("Cache-Control", "private, max-age=300").send(ADMIN_STYLESHEET);
  });

  pages.get("/", operators.require("viewer"), async (req, res) => {
    const values = req.query as Record<string, unknown>;
    if (Object.keys(values).length === 0) {
      page(res, "Find events", searchForm(values));
      return;
    }
    const query = searchQuerySchema.safeParse(values);
    if (!query.success) {
      page(res, "Find events", html`${searchForm(values)}${problems(query.error)}`, 400);
      return;
    }
    const { cursor, limit, ...filter } = query.data;
    const found = await searchLedgerEvents(context.prisma, toLedgerFilter(filter), { limit, after: cursor });
    page(
      res,
      "Find events",
      html`${searchForm(values)}
<p>${found.rows.length === 0 ? "No events match." : html`Newest first. <a href="${ADMIN_PAGE_PATH}/replay?${filterQuery(values)}">Preview a replay of the matching events that did not take effect</a>`}</p>
${found.rows.length > 0 ? eventRows(found.rows.map((row) => ({ row }))) : ""}
${found.next ? html`<p><a rel="next" href="${ADMIN_PAGE_PATH}?${filterQuery(values, { cursor: encodeCursor(found.next), limit: String(limit) })}">Older events</a></p>` : ""}`,
    );
  });

  pages.get("/events/:provider/:eventId", operators.require("viewer"), async (req, res) => {
    const params = detailParams.safeParse(req.params);
    const [row] = params.success ? await findLedgerEvents(context.prisma, params.data) : [];
    if (!row) {
      page(res, "No such event", html`<p>The ledger has no such event.</p>`, 404);
      return;
    }
    const jobs = await deliveryJobs(context.replay.queues, row.provider, row.eventId);
    const field = (name: string, value: string | number | null) => html`<dt>${name}</dt><dd>${value ?? "—"}</dd>`;
    page(
      res,
      `${row.provider} ${row.eventId}`,
      html`<dl>
${field("Type", row.type)}<dt>Status</dt><dd class="status" id="status">${row.status}</dd>${field("Attempts", row.attempts)}${field("Last error", row.lastError)}
${field("Object", row.objectId)}${field("Stripe customer", row.stripeCustomerId)}${field("User", row.userId)}
${field("Event time", row.eventCreatedAt.toISOString())}${field("Received", row.receivedAt.toISOString())}${field("Processed", row.processedAt?.toISOString() ?? null)}
</dl>
<p><a href="${ADMIN_PAGE_PATH}/replay?${filterQuery({ provider: row.provider, eventId: row.eventId })}">Preview a replay of this event</a></p>
<h2>Jobs in the queue</h2>
${jobs.length === 0 ? html`<p>No job of this delivery is left in Redis.</p>` : html`<table><thead><tr><th>Job</th><th>State</th><th>Attempts</th><th>Failed reason</th></tr></thead><tbody>${jobs.map((job) => html`<tr><td>${job.jobId}</td><td>${job.state}</td><td>${job.attemptsMade}</td><td>${job.failedReason ?? ""}</td></tr>`)}</tbody></table>`}
<h2>Stored payload (minimized)</h2>
<pre>${JSON.stringify(row.payload, null, 2)}</pre>`,
    );
  });

  pages.get("/replay", operators.require("viewer"), async (req, res) => {
    const values = req.query as Record<string, unknown>;
    const query = previewQuerySchema.safeParse(values);
    if (!query.success) {
      page(res, "Replay preview", problems(query.error), 400);
      return;
    }
    const { limit, ...input } = query.data;
    const filter = toLedgerFilter(input, REPLAY_DEFAULT_STATUSES);
    const matching = await countLedgerEvents(context.prisma, filter);
    const run = await runAdminReplay(context.prisma, context.replay, { ...filter, limit }, false);
    const hidden = FILTER_FIELDS.filter((field) => typeof values[field] === "string" && values[field] !== "").map(
      (field) => html`<input type="hidden" name="${field}" value="${values[field] as string}">`,
    );
    page(
      res,
      "Replay preview",
      html`<p>${matching} ${matching === 1 ? "delivery matches" : "deliveries match"} (statuses ${(filter.statuses ?? []).join(", ")})${matching > limit ? html`; the first ${limit}, oldest first, are shown and would be replayed` : ""}. Nothing has been changed yet.</p>
${eventRows(run.events.map(({ row, result }) => ({ row, action: actionText(result, false) })))}
<form method="post" action="${ADMIN_PAGE_PATH}/replay">${hidden}<input type="hidden" name="limit" value="${limit}">
<button type="submit"${run.tally.selected === 0 ? html` disabled` : ""}>Replay ${run.tally.selected} ${run.tally.selected === 1 ? "delivery" : "deliveries"}</button> (admins only; recorded in the audit trail)
</form>`,
    );
  });

  pages.post("/replay", operators.require("admin"), express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    const form = req.body as Record<string, unknown>;
    const filter = Object.fromEntries(Object.entries(form).filter(([key, value]) => key !== "dryRun" && value !== ""));
    const body = replayBodySchema.safeParse({ filter, dryRun: false });
    if (!body.success) {
      page(res, "Replay", problems(body.error), 400);
      return;
    }
    const { auditId, run } = await replayWithAudit(context, body.data, operatorIdentity(req, res));
    const t = run.tally;
    page(
      res,
      "Replay done",
      html`<p role="status">Replayed ${t.selected} ${t.selected === 1 ? "delivery" : "deliveries"}: retried ${t.retried}, re-added ${t.reAdded}, replaced ${t.replaced}, already queued ${t.alreadyQueued}, already settled ${t.alreadySettled}, deferred ${t.deferred}, errors ${t.errors}. Audit record ${auditId}.</p>
${eventRows(run.events.map(({ row, result }) => ({ row, action: actionText(result, true) })))}
<p>The workers run the replayed jobs now; open an event to follow its status.</p>`,
    );
  });

  return pages;
}
