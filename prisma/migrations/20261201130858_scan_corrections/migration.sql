-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "offeredNumber" VARCHAR(64),
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;
