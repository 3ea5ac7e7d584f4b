-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN "ecfp4" BLOB;

-- CreateTable
CREATE TABLE "Library" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LibraryEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "libraryId" TEXT NOT NULL,
    "candidateId" INTEGER NOT NULL,
    "note" TEXT,
    "score" REAL,
    "sourceRunId" TEXT,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LibraryEntry_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "Library" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LibraryEntry_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LibraryEntryTag" (
    "entryId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("entryId", "tag"),
    CONSTRAINT "LibraryEntryTag_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LibraryEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

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
