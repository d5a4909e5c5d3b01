import { REPLAYABLE_STATUSES, type LedgerEventFilter, type SearchCursor } from "@wh/ops";
import { WEBHOOK_PROVIDERS } from "@wh/queue";
import { z } from "zod";

const EVENT_STATUSES = ["completed", "failed", "dead", "skipped_stale", "skipped_duplicate", "ignored", "deferred"] as const;

/** A provider or Clerk/Stripe id: letters, digits, `_` and `-` (or a UUID for our user id). */
const id = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "must be an id: letters, digits, _ and - only");

/** A calendar date (midnight UTC) or a date-time with an explicit zone; never a local time. */
const time = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: "must be a date (2026-11-01, midnight UTC) or a date-time with a zone (2026-11-01T12:00:00Z)",
  })
  .transform((value) => new Date(value));

/** Empty form fields mean "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((raw) => (typeof raw === "string" && raw.trim() === "" ? undefined : raw), schema.optional());

const filterFields = {
  eventId: optional(id),
  objectId: optional(id),
  userId: optional(id),
  customerId: optional(id),
  provider: optional(z.enum(WEBHOOK_PROVIDERS, { error: `must be one of ${WEBHOOK_PROVIDERS.join(", ")}` })),
  type: optional(z.string().trim().max(200).regex(/^[a-z0-9_.]+$/, "must be an event type such as customer.subscription.updated")),
  status: optional(
    z
      .string()
      .transform((raw) => [...new Set(raw.split(",").map((status) => status.trim()).filter((status) => status.length > 0))])
      .pipe(z.array(z.enum(EVENT_STATUSES, { error: `must list only ${EVENT_STATUSES.join(", ")}` })).min(1, "must name a status")),
  ),
  since: optional(time),
  until: optional(time),
};

const sinceBeforeUntil = (value: { since?: Date; until?: Date }, ctx: z.RefinementCtx) => {
  if (value.since && value.until && value.since >= value.until) {
    ctx.addIssue({ code: "custom", path: ["until"], message: "must be later than since" });
  }
};

export const filterSchema = z.object(filterFields).strict().superRefine(sinceBeforeUntil);
type FilterInput = z.infer<typeof filterSchema>;

/** The ledger filter of a validated query; `defaultStatuses` applies when none is named. */
export function toLedgerFilter(input: FilterInput, defaultStatuses?: LedgerEventFilter["statuses"]): LedgerEventFilter {
  const { status, ...rest } = input;
  return { ...rest, statuses: status ?? defaultStatuses };
}

/** Opaque to clients: base64url of `<received_at ms>.<id>`. */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(`${cursor.receivedAt.getTime()}.${cursor.id}`).toString("base64url");
}

const cursor = z.string().transform((raw, ctx): SearchCursor => {
  const match = /^(\d{1,15})\.(\d{1,19})$/.exec(Buffer.from(raw, "base64url").toString("utf8"));
  if (!match) {
    ctx.addIssue({ code: "custom", message: "is not a cursor this API returned" });
    return z.NEVER;
  }
  return { receivedAt: new Date(Number(match[1])), id: BigInt(match[2]!) };
});

const limit = (max: number, fallback: number) =>
  optional(z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`)).transform(
    (value) => value ?? fallback,
  );

/** The path of one delivery: `/events/:provider/:eventId`. */
export const detailParams = z.object({
  provider: z.enum(WEBHOOK_PROVIDERS, { error: `must be one of ${WEBHOOK_PROVIDERS.join(", ")}` }),
  eventId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a provider event id"),
});

/** Rows a search page holds at most. */
export const MAX_PAGE = 200;
/** Deliveries one replay request may touch at most (more: narrow the filter or repeat). */
export const MAX_REPLAY = 1_000;

export const searchQuerySchema = z
  .object({ ...filterFields, cursor: optional(cursor), limit: limit(MAX_PAGE, 50) })
  .strict()
  .superRefine(sinceBeforeUntil);

export const previewQuerySchema = z
  .object({ ...filterFields, limit: limit(MAX_REPLAY, 100) })
  .strict()
  .superRefine(sinceBeforeUntil);

export const replayBodySchema = z
  .object({
    filter: z.object({ ...filterFields, limit: limit(MAX_REPLAY, 100) }).strict().superRefine(sinceBeforeUntil),
    dryRun: z.boolean({ error: "must be true or false" }),
  })
  .strict();

/** Replays select only what has not taken effect, unless the filter names statuses. */
export const REPLAY_DEFAULT_STATUSES = REPLAYABLE_STATUSES;

/** `{ error, issues: ["field: message", …] }` for a 400: names the fields, never echoes values. */
export function validationError(error: z.ZodError): { error: string; issues: string[] } {
  return {
    error: "invalid request",
    issues: error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message)),
  };
}
