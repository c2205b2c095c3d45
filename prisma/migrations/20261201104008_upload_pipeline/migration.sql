-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "entryIndex" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "originalKey" TEXT,
ADD COLUMN     "thumbnailKey" TEXT;

-- AlterTable
ALTER TABLE "Upload" ADD COLUMN     "alreadyStored" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "archiveKey" TEXT,
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "hints" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "passwordCipher" TEXT,
ADD COLUMN     "passwordNeeded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "receivedBytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "workerId" TEXT;

-- CreateTable
CREATE TABLE "FillTemplate" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "cells" BYTEA NOT NULL,
    "pages" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FillTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FillTemplate_eventId_position_key" ON "FillTemplate"("eventId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Scan_uploadId_entryIndex_pageIndex_key" ON "Scan"("uploadId", "entryIndex", "pageIndex");

-- AddForeignKey
ALTER TABLE "FillTemplate" ADD CONSTRAINT "FillTemplate_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
