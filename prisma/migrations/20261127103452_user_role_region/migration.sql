-- DropForeignKey
ALTER TABLE "User" DROP CONSTRAINT "User_regionCode_fkey";

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An admin has no region; a coordinator or operator has exactly one.
ALTER TABLE "User" ADD CONSTRAINT "User_role_region_check" CHECK (("role" = 'admin') = ("regionCode" IS NULL));
