import { z } from "zod";

/** A `--since` / `--until` value: a calendar date (midnight UTC) or a date-time with an explicit zone; never a local time. */
export const timeArg = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: "must be a date (2026-11-01, midnight UTC) or a date-time with a zone (2026-11-01T12:00:00Z)",
  })
  .transform((value) => new Date(value));
