import { z } from "zod";
import { ConfigError } from "./config-error";

/**
 * Parses an environment once with a zod schema. Every problem is listed by variable name; values
 * are never echoed, because some of them are secrets.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join(".") : "(environment)";
    return `  - ${name}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
