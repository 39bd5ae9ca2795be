-- AlterTable
ALTER TABLE "DatasetSplit" ADD COLUMN     "wrappedKey" BYTEA;

-- AlterTable
ALTER TABLE "IndexerCursor" ADD COLUMN     "finalizedBlockNumber" BIGINT;

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" VARCHAR(200) NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateLimitBucket_updatedAt_idx" ON "RateLimitBucket"("updatedAt");
