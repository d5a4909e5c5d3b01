import { parseArgs } from "node:util";
import { timeArg } from "../time-arg";

export type ReconcileArgs =
  | { command: "help" }
  | { command: "stripe"; since: Date; until?: Date; execute: boolean }
  | { command: "clerk"; execute: boolean };

export type ParsedReconcileArgs = { ok: true; args: ReconcileArgs } | { ok: false; message: string };

const OPTIONS = {
  since: { type: "string" },
  until: { type: "string" },
  execute: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Reads `stripe --since <time> [--until <time>] [--execute]`, `clerk [--execute]` or `--help`. */
export function parseReconcileArgs(argv: readonly string[]): ParsedReconcileArgs {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: true, args: { command: "help" } };
  const [provider, ...extra] = positionals;
  if (extra.length > 0) return { ok: false, message: `unexpected argument '${extra[0]}'` };
  const execute = values.execute === true;
  if (provider === "clerk") {
    if (values.since !== undefined || values.until !== undefined) return { ok: false, message: "--since and --until apply to stripe only: Clerk lists every user" };
    return { ok: true, args: { command: "clerk", execute } };
  }
  if (provider !== "stripe") return { ok: false, message: provider === undefined ? "name a provider: stripe or clerk" : `unknown provider '${provider}' (stripe or clerk)` };
  if (values.since === undefined) return { ok: false, message: "--since is required: the start of the window of Stripe events to compare" };
  const since = timeArg.safeParse(values.since);
  if (!since.success) return { ok: false, message: `--since ${since.error.issues[0]?.message}` };
  const until = values.until === undefined ? undefined : timeArg.safeParse(values.until);
  if (until && !until.success) return { ok: false, message: `--until ${until.error.issues[0]?.message}` };
  return { ok: true, args: { command: "stripe", since: since.data, until: until?.data, execute } };
}
