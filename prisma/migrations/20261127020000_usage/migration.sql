-- CreateTable
CREATE TABLE "usage_periods" (
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_periods_pkey" PRIMARY KEY ("period_start")
);

-- CreateTable
CREATE TABLE "usage_counters" (
    "user_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "usage_counters_pkey" PRIMARY KEY ("user_id","metric","period_start")
);

-- CreateTable
CREATE TABLE "usage_period_totals" (
    "user_id" UUID NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "metric" TEXT NOT NULL,
    "used" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_period_totals_pkey" PRIMARY KEY ("user_id","period_start","metric")
);

-- CreateTable
CREATE TABLE "usage_idempotency_keys" (
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "outcome" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "usage_idempotency_keys_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE INDEX "usage_counters_period_start_idx" ON "usage_counters"("period_start");

-- CreateIndex
CREATE INDEX "usage_period_totals_period_start_idx" ON "usage_period_totals"("period_start");

-- CreateIndex
CREATE INDEX "usage_idempotency_keys_expires_at_idx" ON "usage_idempotency_keys"("expires_at");

-- AddForeignKey
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_period_totals" ADD CONSTRAINT "usage_period_totals_period_start_fkey" FOREIGN KEY ("period_start") REFERENCES "usage_periods"("period_start") ON DELETE RESTRICT ON UPDATE CASCADE;
