import { UnrecoverableError } from "bullmq";
import type { z } from "zod";

/**
 * Validates the part of a payload a handler needs. A payload that does not fit can never apply,
 * however often it is retried: it is poison and goes straight to the dead state.
 */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  throw new UnrecoverableError(`poison ${what}: ${problems}`);
}
