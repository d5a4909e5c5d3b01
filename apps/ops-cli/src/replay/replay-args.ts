import { parseArgs } from "node:util";
import { WEBHOOK_PROVIDERS, type WebhookProvider } from "@wh/queue";
import { z } from "zod";
import { REPLAYABLE_STATUSES, type ReplayableStatus } from "@wh/ops";
import { timeArg } from "../time-arg";

/** One delivery by its provider id, any ledger status. */
export interface EventSelection {
  kind: "event";
  eventId: string;
  provider?: WebhookProvider;
}

/** Every dead/failed delivery matching the filters, oldest `received_at` first. */
export interface FilterSelection {
  kind: "filter";
  statuses: ReplayableStatus[];
  provider?: WebhookProvider;
  type?: string;
  /** Inclusive lower bound on `received_at`. */
  since?: Date;
  /** Exclusive upper bound on `received_at`. */
  until?: Date;
  limit?: number;
}

export type ReplaySelection = EventSelection | FilterSelection;

export interface ReplayArgs {
  selection: ReplaySelection;
  /** False (the default): a dry run that only reports what it would do. */
  execute: boolean;
}

export type ParsedReplayArgs =
  | { ok: true; command: "help" }
  | { ok: true; command: "replay"; args: ReplayArgs }
  | { ok: false; message: string };

const OPTIONS = {
  event: { type: "string" },
  provider: { type: "string" },
  status: { type: "string" },
  type: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  limit: { type: "string" },
  execute: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const FILTER_ONLY_FLAGS = ["status", "type", "since", "until", "limit"] as const;

const argsSchema = z
  .object({
    event: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "must be a provider event id (evt_…, msg_…): letters, digits, _ and - only")
      .optional(),
    provider: z.enum(WEBHOOK_PROVIDERS, { error: `must be one of ${WEBHOOK_PROVIDERS.join(", ")}` }).optional(),
    status: z
      .string()
      .transform((raw) => raw.split(",").map((status) => status.trim()).filter((status) => status.length > 0))
      .pipe(
        z
          .array(
            z.enum(REPLAYABLE_STATUSES, {
              error: `must list only ${REPLAYABLE_STATUSES.join(", ")} (completed and skipped events are never replayed)`,
            }),
          )
          .min(1, "must name at least one status"),
      )
      .transform((statuses) => [...new Set(statuses)])
      .optional(),
    type: z.string().min(1, "must not be empty").optional(),
    since: timeArg.optional(),
    until: timeArg.optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]*$/, "must be a positive whole number")
      .transform(Number)
      .optional(),
    execute: z.boolean().default(false),
  })
  .superRefine((args, ctx) => {
    if (args.event !== undefined) {
      for (const flag of FILTER_ONLY_FLAGS) {
        if (args[flag] !== undefined) {
          ctx.addIssue({ code: "custom", path: [flag], message: "cannot be combined with --event" });
        }
      }
    } else if (args.status === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "nothing selected: pass --event <id>, or --status dead,failed with optional filters",
      });
    }
    if (args.since && args.until && args.since >= args.until) {
      ctx.addIssue({ code: "custom", path: ["until"], message: "must be later than --since" });
    }
  });

/** Reads the command line (without `node script`); every problem is a usage error, exit code 2. */
export function parseReplayArgs(argv: readonly string[]): ParsedReplayArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { ok: true, command: "help" };

  const result = argsSchema.safeParse(values);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => (issue.path.length > 0 ? `--${String(issue.path[0])} ${issue.message}` : issue.message))
      .join("; ");
    return { ok: false, message };
  }
  const args = result.data;
  const selection: ReplaySelection =
    args.event !== undefined
      ? { kind: "event", eventId: args.event, provider: args.provider }
      : {
          kind: "filter",
          statuses: args.status ?? [],
          provider: args.provider,
          type: args.type,
          since: args.since,
          until: args.until,
          limit: args.limit,
        };
  return { ok: true, command: "replay", args: { selection, execute: args.execute } };
}
