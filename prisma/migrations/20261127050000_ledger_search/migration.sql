-- AlterTable: operators find one user's or one Stripe customer's events (filled when an event settles).
ALTER TABLE "webhook_events" ADD COLUMN "user_id" UUID,
ADD COLUMN "stripe_customer_id" TEXT;

-- CreateIndex
CREATE INDEX "webhook_events_user_id_received_at_idx" ON "webhook_events"("user_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_events_stripe_customer_id_received_at_idx" ON "webhook_events"("stripe_customer_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_events_received_at_id_idx" ON "webhook_events"("received_at", "id");

-- CreateTable: the audit trail of replays started from the admin API.
CREATE TABLE "replay_audits" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "role" TEXT NOT NULL,
    "token_fingerprint" TEXT NOT NULL,
    "claimed_user" TEXT,
    "filter" JSONB NOT NULL,
    "dry_run" BOOLEAN NOT NULL,
    "selected" INTEGER NOT NULL,
    "tally" JSONB NOT NULL,

    CONSTRAINT "replay_audits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "replay_audits_created_at_idx" ON "replay_audits"("created_at");
