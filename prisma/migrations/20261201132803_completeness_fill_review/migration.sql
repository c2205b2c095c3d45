-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "fillOverride" "Fill",
ADD COLUMN     "fillReviewedAt" TIMESTAMP(3);
