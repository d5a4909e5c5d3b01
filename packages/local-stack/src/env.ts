import { z } from "zod";
import { ServiceError } from "./service-log";

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return fallback;
      const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (parsed >= 1 && parsed <= 65535) return parsed;
      context.addIssue({ code: "custom", message: `${name} must be a TCP port number, got '${value}'` });
      return z.NEVER;
    });

const optionalUrl = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z.object({
  WH_REDIS_PORT: port("WH_REDIS_PORT", 6390),
  WH_PG_PORT: port("WH_PG_PORT", 5440),
  REDIS_URL: optionalUrl,
  DATABASE_URL: optionalUrl,
});

export interface StackEnv {
  redisPort: number;
  pgPort: number;
  redisUrl?: string;
  databaseUrl?: string;
}

/** The variables of the local servers: ports of the local ones, or the URLs of others (an empty URL counts as unset). */
export function readStackEnv(env: Readonly<Record<string, string | undefined>>): StackEnv {
  const result = schema.safeParse(env);
  if (!result.success) throw new ServiceError(result.error.issues.map((issue) => issue.message).join("; "));
  const { WH_REDIS_PORT, WH_PG_PORT, REDIS_URL, DATABASE_URL } = result.data;
  return { redisPort: WH_REDIS_PORT, pgPort: WH_PG_PORT, redisUrl: REDIS_URL, databaseUrl: DATABASE_URL };
}
