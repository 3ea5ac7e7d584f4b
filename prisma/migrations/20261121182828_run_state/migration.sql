-- AlterTable
ALTER TABLE "Run" ADD COLUMN "stateJson" TEXT;
