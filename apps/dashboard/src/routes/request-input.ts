import type { Response } from "express";
import { z } from "zod";

/** Clerk user ids (`user_…`): short, URL-safe. Anything else is refused before the database. */
export const clerkUserIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "must be a Clerk user id");

/** Parses input with zod; on failure answers 400 listing each problem by field, and returns undefined. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, res: Response): z.infer<S> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  res.status(400).json({
    error: "invalid_request",
    issues: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  });
  return undefined;
}
