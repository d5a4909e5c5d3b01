import { parseArgs } from "node:util";
import { PLANS } from "@wh/billing";
import { z } from "zod";
import { TRIGGER_EVENT_NAMES, TRIGGER_EVENTS, type TriggerEvent } from "./trigger-events";

export interface TriggerArgs {
  event: TriggerEvent;
  /** A Clerk user id (`user_…`), or an email looked up in the users table. */
  user: string;
  plan?: string;
  email?: string;
  customer?: string;
  subscription?: string;
  receiverUrl: string;
  /** How long to wait for the ledger to record the event; 0 sends without waiting. */
  timeoutMs: number;
}

export type ParsedTriggerArgs =
  | { ok: true; command: "help" }
  | { ok: true; command: "trigger"; args: TriggerArgs }
  | { ok: false; message: string };

const OPTIONS = {
  user: { type: "string" },
  plan: { type: "string" },
  email: { type: "string" },
  customer: { type: "string" },
  subscription: { type: "string" },
  "receiver-url": { type: "string" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const DEFAULT_RECEIVER_URL = "http://127.0.0.1:3000";
export const DEFAULT_TIMEOUT_SECONDS = 30;

const PLAN_IDS = Object.keys(PLANS);
const stripeId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]+$`), `must be a Stripe id (${prefix}_…)`);

const argsSchema = z
  .object({
    event: z.enum(TRIGGER_EVENT_NAMES, { error: `must be one of ${TRIGGER_EVENT_NAMES.join(", ")}` }),
    user: z
      .string({ error: "is required: a Clerk user id (user_…) or the user's email" })
      .regex(/^(user_[A-Za-z0-9]+|[^@\s]+@[^@\s]+)$/, "must be a Clerk user id (user_…) or an email"),
    plan: z.enum(PLAN_IDS, { error: `must be one of ${PLAN_IDS.join(", ")}` }).optional(),
    email: z.email({ error: "must be an email" }).optional(),
    customer: stripeId("cus").optional(),
    subscription: stripeId("sub").optional(),
    "receiver-url": z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:3000" })
      .default(DEFAULT_RECEIVER_URL)
      .transform((url) => url.replace(/\/+$/, "")),
    timeout: z
      .string()
      .regex(/^[0-9]+$/, "must be a whole number of seconds")
      .transform(Number)
      .default(DEFAULT_TIMEOUT_SECONDS),
  })
  .superRefine((args, ctx) => {
    const spec = TRIGGER_EVENTS[args.event];
    if (spec.needsPlan && args.plan === undefined) {
      ctx.addIssue({ code: "custom", path: ["plan"], message: `is required for ${args.event}` });
    }
    if (spec.provider === "clerk") {
      for (const flag of ["plan", "customer", "subscription"] as const) {
        if (args[flag] !== undefined) ctx.addIssue({ code: "custom", path: [flag], message: `does not apply to the Clerk event ${args.event}` });
      }
    } else if (args.email !== undefined) {
      ctx.addIssue({ code: "custom", path: ["email"], message: `applies only to Clerk user events` });
    }
  });

/** Reads `trigger <event> --user … [options]` (without the command name); every problem is a usage error. */
export function parseTriggerArgs(argv: readonly string[]): ParsedTriggerArgs {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (parsed.values.help) return { ok: true, command: "help" };
  if (parsed.positionals.length === 0) return { ok: false, message: `name the event to send: one of ${TRIGGER_EVENT_NAMES.join(", ")}` };
  if (parsed.positionals.length > 1) return { ok: false, message: `one event at a time (got ${parsed.positionals.join(", ")})` };

  const result = argsSchema.safeParse({ ...parsed.values, event: parsed.positionals[0] });
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => {
        const field = String(issue.path[0] ?? "");
        return field === "event" ? `<event> ${issue.message}` : `--${field} ${issue.message}`;
      })
      .join("; ");
    return { ok: false, message };
  }
  const args = result.data;
  return {
    ok: true,
    command: "trigger",
    args: {
      event: args.event,
      user: args.user,
      plan: args.plan,
      email: args.email,
      customer: args.customer,
      subscription: args.subscription,
      receiverUrl: args["receiver-url"],
      timeoutMs: args.timeout * 1_000,
    },
  };
}
