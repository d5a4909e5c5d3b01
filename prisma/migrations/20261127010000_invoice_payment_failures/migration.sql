-- CreateTable
CREATE TABLE "invoice_payment_failures" (
    "stripe_invoice_id" TEXT NOT NULL,
    "attempt_count" INTEGER NOT NULL,
    "stripe_subscription_id" TEXT,
    "final" BOOLEAN NOT NULL,
    "next_payment_attempt" TIMESTAMPTZ(3),
    "event_id" TEXT NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_payment_failures_pkey" PRIMARY KEY ("stripe_invoice_id","attempt_count")
);

-- CreateIndex
CREATE INDEX "invoice_payment_failures_stripe_subscription_id_idx" ON "invoice_payment_failures"("stripe_subscription_id");
