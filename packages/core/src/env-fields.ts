import { z } from "zod";

/** Reusable zod fields for app `env.ts` files. */

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const FLAG_VALUES = ["true", "false", "1", "0", "yes", "no"] as const;
const isTrue = (value: (typeof FLAG_VALUES)[number]) => value === "true" || value === "1" || value === "yes";

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(FLAG_VALUES)
    .default(fallback ? "true" : "false")
    .transform(isTrue);

/** A flag without a default: undefined when unset, for a cross-field check to decide. */
export const optionalBooleanFlag = z
  .enum(FLAG_VALUES)
  .optional()
  .transform((value) => (value === undefined ? undefined : isTrue(value)));

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const redisUrl = z
  .string({ error: "is required (e.g. redis://127.0.0.1:6379)" })
  .regex(/^rediss?(\+cluster)?:\/\//, "must start with redis://, rediss://, redis+cluster:// or rediss+cluster://");

export const databaseUrl = z
  .string({ error: "is required (e.g. postgresql://user:pass@127.0.0.1:5432/db)" })
  .regex(/^postgres(ql)?:\/\//, "must start with postgresql://");

/**
 * A comma-separated list of secrets, several valid at once during rotation. Each must carry the
 * given prefix (Stripe `whsec_`, Svix `whsec_`) so that a pasted API key fails at start.
 */
export const secretList = (prefix: string) =>
  commaSeparated("secret").refine(
    (secrets) => secrets.every((secret) => secret.startsWith(prefix) && secret.length > prefix.length + 8),
    `every secret must start with "${prefix}" and be complete`,
  );

/**
 * A comma-separated list of secrets we generate ourselves (bearer tokens, signing keys), several
 * valid at once during rotation; each long enough to be a secret. `noun` names one in messages.
 */
export const longSecretList = (noun: string) =>
  commaSeparated(noun).refine((secrets) => secrets.every((secret) => secret.length >= 32), `every ${noun} must be at least 32 characters`);

function commaSeparated(noun: string) {
  return z
    .string({ error: "is required (comma-separated for rotation)" })
    .transform((raw) =>
      raw
        .split(",")
        .map((secret) => secret.trim())
        .filter((secret) => secret.length > 0),
    )
    .refine((secrets) => secrets.length > 0, `must contain at least one ${noun}`);
}

/** BullMQ key prefix; a Redis Cluster hash tag such as `{wh}` keeps each queue in one slot. */
export const queuePrefix = z.string().min(1).default("{wh}");

/** `TRUST_PROXY`: Express `trust proxy` as written by an operator (false, true, a hop count or addresses). */
export const trustProxy = z.string().default("false");

/** Turns a TRUST_PROXY value into the setting Express expects. */
export function trustProxySetting(raw: string): boolean | number | string {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}
