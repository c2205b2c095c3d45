-- AlterTable
ALTER TABLE "FillTemplate" ADD COLUMN     "turn" INTEGER NOT NULL DEFAULT 0;
