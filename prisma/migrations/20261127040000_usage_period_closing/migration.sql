-- AlterTable: a period is closed in steps (mark, then totals and counters in batches, then closed_at).
ALTER TABLE "usage_periods" ADD COLUMN "closing_at" TIMESTAMPTZ(3);

-- Periods closed before this migration were closed in one step.
UPDATE "usage_periods" SET "closing_at" = "closed_at" WHERE "closed_at" IS NOT NULL;
