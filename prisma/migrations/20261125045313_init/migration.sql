-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ModelFamily" AS ENUM ('MLP', 'WEIGHTLESS', 'TREE');

-- CreateEnum
CREATE TYPE "ChallengeState" AS ENUM ('DRAFT', 'OPEN', 'REVEALED', 'SETTLED', 'REFUNDING_NO_REVEAL', 'REFUNDING_NO_WINNER');

-- CreateEnum
CREATE TYPE "SplitKind" AS ENUM ('TRAIN', 'PUBLIC', 'HIDDEN');

-- CreateEnum
CREATE TYPE "ProofSplit" AS ENUM ('PUBLIC', 'HIDDEN');

-- CreateEnum
CREATE TYPE "ProofStatus" AS ENUM ('PENDING', 'VERIFIED', 'REJECTED', 'FAILED', 'ACCEPTED');

-- CreateEnum
CREATE TYPE "PayoutKind" AS ENUM ('PRIZE', 'REFUND', 'BOND');

-- CreateTable
CREATE TABLE "Account" (
    "address" VARCHAR(42) NOT NULL,
    "displayName" VARCHAR(64),
    "bio" VARCHAR(1000),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "AuthNonce" (
    "nonce" VARCHAR(64) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedBy" VARCHAR(42),

    CONSTRAINT "AuthNonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "address" VARCHAR(42) NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "chainId" INTEGER NOT NULL,
    "userAgent" VARCHAR(512),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Challenge" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(80) NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "summary" VARCHAR(280) NOT NULL,
    "description" TEXT NOT NULL,
    "task" VARCHAR(500) NOT NULL,
    "tags" TEXT[],
    "modelFamily" "ModelFamily" NOT NULL,
    "circuitId" VARCHAR(80) NOT NULL,
    "metadataHash" CHAR(66),
    "state" "ChallengeState" NOT NULL DEFAULT 'DRAFT',
    "organiserAddress" VARCHAR(42) NOT NULL,
    "chainId" INTEGER NOT NULL,
    "escrowAddress" VARCHAR(42),
    "onchainId" DECIMAL(78,0),
    "tokenAddress" VARCHAR(42),
    "tokenSymbol" VARCHAR(16) NOT NULL DEFAULT 'ETH',
    "tokenDecimals" INTEGER NOT NULL DEFAULT 18,
    "commitDeadline" TIMESTAMP(3) NOT NULL,
    "revealDeadline" TIMESTAMP(3) NOT NULL,
    "proveDeadline" TIMESTAMP(3) NOT NULL,
    "payoutSharesBps" INTEGER[],
    "minCorrect" INTEGER NOT NULL,
    "organiserBond" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "testCommitment" VARCHAR(80),
    "potCached" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "createTxHash" CHAR(66),
    "createdBlock" BIGINT,
    "revealedAt" TIMESTAMP(3),
    "revealTxHash" CHAR(66),
    "revealUri" VARCHAR(500),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetSplit" (
    "id" UUID NOT NULL,
    "challengeId" UUID NOT NULL,
    "kind" "SplitKind" NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "mediaType" VARCHAR(100) NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sha256" CHAR(66) NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "featureCount" INTEGER NOT NULL,
    "content" BYTEA,
    "ciphertext" BYTEA,
    "saltCiphertext" BYTEA,
    "encIv" BYTEA,
    "encTag" BYTEA,
    "encKeyId" VARCHAR(64),
    "commitment" VARCHAR(80),
    "batchCommitments" TEXT[],
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetSplit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Funding" (
    "id" UUID NOT NULL,
    "challengeId" UUID NOT NULL,
    "sponsorAddress" VARCHAR(42) NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "chainId" INTEGER NOT NULL,
    "txHash" CHAR(66) NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Funding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelCommitment" (
    "id" UUID NOT NULL,
    "challengeId" UUID NOT NULL,
    "competitorAddress" VARCHAR(42) NOT NULL,
    "commitment" VARCHAR(80) NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,
    "commitCount" INTEGER NOT NULL DEFAULT 1,
    "chainId" INTEGER NOT NULL,
    "txHash" CHAR(66) NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "logIndex" INTEGER NOT NULL,

    CONSTRAINT "ModelCommitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proof" (
    "id" UUID NOT NULL,
    "challengeId" UUID NOT NULL,
    "competitorAddress" VARCHAR(42) NOT NULL,
    "split" "ProofSplit" NOT NULL,
    "batchIndex" INTEGER NOT NULL DEFAULT 0,
    "circuitId" VARCHAR(80) NOT NULL,
    "modelCommitment" VARCHAR(80) NOT NULL,
    "publicSignals" JSONB NOT NULL,
    "proof" JSONB NOT NULL,
    "correct" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "status" "ProofStatus" NOT NULL DEFAULT 'PENDING',
    "error" VARCHAR(1000),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "chainId" INTEGER,
    "txHash" CHAR(66),
    "blockNumber" BIGINT,
    "logIndex" INTEGER,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Proof_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payout" (
    "id" UUID NOT NULL,
    "challengeId" UUID NOT NULL,
    "recipientAddress" VARCHAR(42) NOT NULL,
    "kind" "PayoutKind" NOT NULL,
    "amount" DECIMAL(78,0) NOT NULL,
    "rank" INTEGER,
    "chainId" INTEGER NOT NULL,
    "txHash" CHAR(66) NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IndexerCursor" (
    "chainId" INTEGER NOT NULL,
    "address" VARCHAR(42) NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "blockHash" CHAR(66) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IndexerCursor_pkey" PRIMARY KEY ("chainId","address")
);

-- CreateTable
CREATE TABLE "IndexedBlock" (
    "chainId" INTEGER NOT NULL,
    "number" BIGINT NOT NULL,
    "hash" CHAR(66) NOT NULL,
    "parentHash" CHAR(66) NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IndexedBlock_pkey" PRIMARY KEY ("chainId","number")
);

-- CreateTable
CREATE TABLE "ChainEvent" (
    "id" UUID NOT NULL,
    "chainId" INTEGER NOT NULL,
    "address" VARCHAR(42) NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "blockHash" CHAR(66) NOT NULL,
    "txHash" CHAR(66) NOT NULL,
    "txIndex" INTEGER NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "eventName" VARCHAR(64) NOT NULL,
    "args" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuthNonce_expiresAt_idx" ON "AuthNonce"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_address_idx" ON "Session"("address");

-- CreateIndex
CREATE UNIQUE INDEX "Challenge_slug_key" ON "Challenge"("slug");

-- CreateIndex
CREATE INDEX "Challenge_state_idx" ON "Challenge"("state");

-- CreateIndex
CREATE INDEX "Challenge_organiserAddress_idx" ON "Challenge"("organiserAddress");

-- CreateIndex
CREATE INDEX "Challenge_commitDeadline_idx" ON "Challenge"("commitDeadline");

-- CreateIndex
CREATE UNIQUE INDEX "Challenge_chainId_escrowAddress_onchainId_key" ON "Challenge"("chainId", "escrowAddress", "onchainId");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetSplit_challengeId_kind_key" ON "DatasetSplit"("challengeId", "kind");

-- CreateIndex
CREATE INDEX "Funding_challengeId_idx" ON "Funding"("challengeId");

-- CreateIndex
CREATE INDEX "Funding_sponsorAddress_idx" ON "Funding"("sponsorAddress");

-- CreateIndex
CREATE UNIQUE INDEX "Funding_chainId_txHash_logIndex_key" ON "Funding"("chainId", "txHash", "logIndex");

-- CreateIndex
CREATE UNIQUE INDEX "ModelCommitment_challengeId_competitorAddress_key" ON "ModelCommitment"("challengeId", "competitorAddress");

-- CreateIndex
CREATE INDEX "Proof_challengeId_split_status_correct_idx" ON "Proof"("challengeId", "split", "status", "correct");

-- CreateIndex
CREATE INDEX "Proof_competitorAddress_idx" ON "Proof"("competitorAddress");

-- CreateIndex
CREATE UNIQUE INDEX "Proof_chainId_txHash_logIndex_key" ON "Proof"("chainId", "txHash", "logIndex");

-- CreateIndex
CREATE INDEX "Payout_challengeId_idx" ON "Payout"("challengeId");

-- CreateIndex
CREATE INDEX "Payout_recipientAddress_idx" ON "Payout"("recipientAddress");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_chainId_txHash_logIndex_key" ON "Payout"("chainId", "txHash", "logIndex");

-- CreateIndex
CREATE INDEX "ChainEvent_chainId_blockNumber_idx" ON "ChainEvent"("chainId", "blockNumber");

-- CreateIndex
CREATE UNIQUE INDEX "ChainEvent_chainId_txHash_logIndex_key" ON "ChainEvent"("chainId", "txHash", "logIndex");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_address_fkey" FOREIGN KEY ("address") REFERENCES "Account"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_organiserAddress_fkey" FOREIGN KEY ("organiserAddress") REFERENCES "Account"("address") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSplit" ADD CONSTRAINT "DatasetSplit_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Funding" ADD CONSTRAINT "Funding_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Funding" ADD CONSTRAINT "Funding_sponsorAddress_fkey" FOREIGN KEY ("sponsorAddress") REFERENCES "Account"("address") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelCommitment" ADD CONSTRAINT "ModelCommitment_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelCommitment" ADD CONSTRAINT "ModelCommitment_competitorAddress_fkey" FOREIGN KEY ("competitorAddress") REFERENCES "Account"("address") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proof" ADD CONSTRAINT "Proof_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proof" ADD CONSTRAINT "Proof_competitorAddress_fkey" FOREIGN KEY ("competitorAddress") REFERENCES "Account"("address") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_recipientAddress_fkey" FOREIGN KEY ("recipientAddress") REFERENCES "Account"("address") ON DELETE RESTRICT ON UPDATE CASCADE;
