-- CreateTable
CREATE TABLE "LeaderboardSnapshot" (
    "challengeId" UUID NOT NULL,
    "split" "ProofSplit" NOT NULL,
    "rows" JSONB NOT NULL,
    "source" VARCHAR(32) NOT NULL,
    "blockNumber" BIGINT,
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeaderboardSnapshot_pkey" PRIMARY KEY ("challengeId","split")
);

-- AddForeignKey
ALTER TABLE "LeaderboardSnapshot" ADD CONSTRAINT "LeaderboardSnapshot_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
