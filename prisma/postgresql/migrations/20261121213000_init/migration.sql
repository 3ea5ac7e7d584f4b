-- CreateTable
CREATE TABLE "Candidate" (
    "id" SERIAL NOT NULL,
    "canonicalSmiles" TEXT NOT NULL,
    "inchiKey" TEXT,
    "mw" DOUBLE PRECISION NOT NULL,
    "clogp" DOUBLE PRECISION NOT NULL,
    "tpsa" DOUBLE PRECISION NOT NULL,
    "hbd" INTEGER NOT NULL,
    "hba" INTEGER NOT NULL,
    "rotatableBonds" INTEGER NOT NULL,
    "heavyAtoms" INTEGER NOT NULL,
    "aromaticRings" INTEGER NOT NULL,
    "qed" DOUBLE PRECISION NOT NULL,
    "sa" DOUBLE PRECISION NOT NULL,
    "plogp" DOUBLE PRECISION NOT NULL,
    "ecfp4" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Candidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paramsJson" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "seed" BIGINT,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "statsJson" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" BIGINT,
    "progressJson" TEXT,
    "progressAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "stateJson" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunCandidate" (
    "runId" TEXT NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "score" DOUBLE PRECISION,
    "t" DOUBLE PRECISION,
    "metaJson" TEXT
);

-- CreateTable
CREATE TABLE "Library" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Library_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LibraryEntry" (
    "id" SERIAL NOT NULL,
    "libraryId" TEXT NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "note" TEXT,
    "score" DOUBLE PRECISION,
    "sourceRunId" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LibraryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LibraryEntryTag" (
    "entryId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "LibraryEntryTag_pkey" PRIMARY KEY ("entryId","tag")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_canonicalSmiles_key" ON "Candidate"("canonicalSmiles");

-- CreateIndex
CREATE INDEX "Candidate_inchiKey_idx" ON "Candidate"("inchiKey");

-- CreateIndex
CREATE INDEX "Candidate_createdAt_id_idx" ON "Candidate"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Candidate_qed_id_idx" ON "Candidate"("qed", "id");

-- CreateIndex
CREATE INDEX "Candidate_mw_id_idx" ON "Candidate"("mw", "id");

-- CreateIndex
CREATE INDEX "Candidate_plogp_id_idx" ON "Candidate"("plogp", "id");

-- CreateIndex
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Run_kind_createdAt_id_idx" ON "Run"("kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Run_status_createdAt_id_idx" ON "Run"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "RunCandidate_candidateId_idx" ON "RunCandidate"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "RunCandidate_runId_position_key" ON "RunCandidate"("runId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Library_name_key" ON "Library"("name");

-- CreateIndex
CREATE INDEX "LibraryEntry_libraryId_addedAt_id_idx" ON "LibraryEntry"("libraryId", "addedAt", "id");

-- CreateIndex
CREATE INDEX "LibraryEntry_candidateId_idx" ON "LibraryEntry"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "LibraryEntry_libraryId_candidateId_key" ON "LibraryEntry"("libraryId", "candidateId");

-- CreateIndex
CREATE INDEX "LibraryEntryTag_tag_idx" ON "LibraryEntryTag"("tag");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_name_key" ON "ApiKey"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- AddForeignKey
ALTER TABLE "RunCandidate" ADD CONSTRAINT "RunCandidate_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunCandidate" ADD CONSTRAINT "RunCandidate_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LibraryEntry" ADD CONSTRAINT "LibraryEntry_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "Library"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LibraryEntry" ADD CONSTRAINT "LibraryEntry_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LibraryEntryTag" ADD CONSTRAINT "LibraryEntryTag_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LibraryEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

