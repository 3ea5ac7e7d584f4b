-- CreateTable
CREATE TABLE "Candidate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "canonicalSmiles" TEXT NOT NULL,
    "inchiKey" TEXT,
    "mw" REAL NOT NULL,
    "clogp" REAL NOT NULL,
    "tpsa" REAL NOT NULL,
    "hbd" INTEGER NOT NULL,
    "hba" INTEGER NOT NULL,
    "rotatableBonds" INTEGER NOT NULL,
    "heavyAtoms" INTEGER NOT NULL,
    "aromaticRings" INTEGER NOT NULL,
    "qed" REAL NOT NULL,
    "sa" REAL NOT NULL,
    "plogp" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "paramsJson" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "seed" BIGINT,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "statsJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" BIGINT
);

-- CreateTable
CREATE TABLE "RunCandidate" (
    "runId" TEXT NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "score" REAL,
    "t" REAL,
    "metaJson" TEXT,
    CONSTRAINT "RunCandidate_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RunCandidate_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
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
CREATE INDEX "RunCandidate_candidateId_idx" ON "RunCandidate"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "RunCandidate_runId_position_key" ON "RunCandidate"("runId", "position");

