-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
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
    "durationMs" BIGINT,
    "progressJson" TEXT,
    "progressAt" DATETIME,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Run" ("createdAt", "durationMs", "error", "finishedAt", "id", "kind", "modelVersion", "paramsJson", "seed", "startedAt", "statsJson", "status") SELECT "createdAt", "durationMs", "error", "finishedAt", "id", "kind", "modelVersion", "paramsJson", "seed", "startedAt", "statsJson", "status" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");
CREATE INDEX "Run_kind_createdAt_id_idx" ON "Run"("kind", "createdAt", "id");
CREATE INDEX "Run_status_createdAt_id_idx" ON "Run"("status", "createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
