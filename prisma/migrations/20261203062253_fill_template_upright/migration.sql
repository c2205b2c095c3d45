-- AlterTable
ALTER TABLE "FillTemplate" ADD COLUMN     "upright" BOOLEAN NOT NULL DEFAULT false;
