-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN "wait_key" TEXT;

-- CreateIndex
CREATE INDEX "webhook_events_wait_key_idx" ON "webhook_events"("wait_key");
