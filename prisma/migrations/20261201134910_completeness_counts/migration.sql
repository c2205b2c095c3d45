-- AlterTable
ALTER TABLE "Blank" ADD COLUMN     "emptyScans" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "liveScans" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SchoolCompleteness" (
    "eventId" UUID NOT NULL,
    "schoolId" UUID NOT NULL,
    "regionCode" VARCHAR(3) NOT NULL,
    "kits" INTEGER NOT NULL DEFAULT 0,
    "blanks" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "filled" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "empty" INTEGER NOT NULL DEFAULT 0,
    "missing" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SchoolCompleteness_pkey" PRIMARY KEY ("eventId","schoolId")
);

-- CreateTable
CREATE TABLE "UploadSchool" (
    "eventId" UUID NOT NULL,
    "schoolId" UUID NOT NULL,
    "uploadId" UUID NOT NULL,

    CONSTRAINT "UploadSchool_pkey" PRIMARY KEY ("eventId","schoolId","uploadId")
);

-- CreateIndex
CREATE INDEX "SchoolCompleteness_eventId_regionCode_idx" ON "SchoolCompleteness"("eventId", "regionCode");

-- Triggers (Prisma's schema language has none; its diff leaves them alone). Statement-level with transition tables,
-- so a pipeline batch or a registry import of thousands of rows refreshes each blank and school once.

-- The schools' rows recomputed from their blanks' counts (a school has a few hundred blanks). The rows are locked
-- first, and the recount then runs with a fresh snapshot (READ COMMITTED, one per statement), so two transactions
-- changing one school never leave it with the older one's numbers.
CREATE FUNCTION completeness_refresh_schools(event_ids uuid[], school_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF event_ids IS NULL OR cardinality(event_ids) = 0 THEN
    RETURN;
  END IF;
  INSERT INTO "SchoolCompleteness" ("eventId", "schoolId", "regionCode")
  SELECT p.e, p.s, sc."regionCode"
    FROM (SELECT DISTINCT e, s FROM unnest(event_ids, school_ids) AS u(e, s)) p
    JOIN "School" sc ON sc.id = p.s
   ORDER BY p.e, p.s
  ON CONFLICT DO NOTHING;
  PERFORM 1
     FROM "SchoolCompleteness" c
     JOIN (SELECT DISTINCT e, s FROM unnest(event_ids, school_ids) AS u(e, s)) p ON c."eventId" = p.e AND c."schoolId" = p.s
    ORDER BY c."eventId", c."schoolId"
      FOR UPDATE OF c;
  UPDATE "SchoolCompleteness" c
     SET kits = a.kits, blanks = a.blanks, total = a.total, filled = a.filled, duplicates = a.duplicates, empty = a.empty, missing = a.missing
    FROM (SELECT b."eventId", b."schoolId",
                 count(DISTINCT b."kitId")::int AS kits,
                 count(*)::int AS blanks,
                 COALESCE(sum(b."liveScans"), 0)::int AS total,
                 COALESCE(sum(b."liveScans") FILTER (WHERE b."liveScans" > 1), 0)::int AS duplicates,
                 (count(*) FILTER (WHERE b."liveScans" = 1 AND b."emptyScans" = 1))::int AS empty,
                 (count(*) FILTER (WHERE b."liveScans" = 1 AND b."emptyScans" = 0))::int AS filled,
                 (count(*) FILTER (WHERE b."liveScans" = 0))::int AS missing
            FROM "Blank" b
            JOIN (SELECT DISTINCT e, s FROM unnest(event_ids, school_ids) AS u(e, s)) p ON b."eventId" = p.e AND b."schoolId" = p.s
           GROUP BY b."eventId", b."schoolId") a
   WHERE c."eventId" = a."eventId" AND c."schoolId" = a."schoolId";
  DELETE FROM "SchoolCompleteness" c
   USING (SELECT DISTINCT e, s FROM unnest(event_ids, school_ids) AS u(e, s)) p
   WHERE c."eventId" = p.e AND c."schoolId" = p.s
     AND NOT EXISTS (SELECT 1 FROM "Blank" b WHERE b."eventId" = p.e AND b."schoolId" = p.s);
END
$$;

-- Blanks' live and empty scan counts recounted, then their schools. Blanks are locked before the recount for the
-- same reason as the schools' rows.
CREATE FUNCTION completeness_refresh_blanks(blank_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  event_ids uuid[];
  school_ids uuid[];
BEGIN
  IF blank_ids IS NULL OR cardinality(blank_ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "Blank" b JOIN unnest(blank_ids) AS u(id) ON b.id = u.id ORDER BY b.id FOR UPDATE OF b;
  UPDATE "Blank" b
     SET "liveScans" = c.live, "emptyScans" = c.empties
    FROM (SELECT u.id, count(s.id)::int AS live,
                 (count(s.id) FILTER (WHERE COALESCE(s."fillOverride", s.fill) = 'empty'))::int AS empties
            FROM unnest(blank_ids) AS u(id)
            LEFT JOIN "Scan" s ON s."blankId" = u.id AND s."deletedAt" IS NULL
           GROUP BY u.id) c
   WHERE b.id = c.id AND (b."liveScans" <> c.live OR b."emptyScans" <> c.empties);
  SELECT array_agg(e ORDER BY e, s), array_agg(s ORDER BY e, s) INTO event_ids, school_ids
    FROM (SELECT DISTINCT b."eventId" AS e, b."schoolId" AS s FROM "Blank" b JOIN unnest(blank_ids) AS u(id) ON b.id = u.id) x;
  PERFORM completeness_refresh_schools(event_ids, school_ids);
END
$$;

CREATE FUNCTION completeness_scan_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  blank_ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    blank_ids := ARRAY(SELECT DISTINCT "blankId" FROM new_rows WHERE "blankId" IS NOT NULL ORDER BY 1);
  ELSIF TG_OP = 'DELETE' THEN
    blank_ids := ARRAY(SELECT DISTINCT "blankId" FROM old_rows WHERE "blankId" IS NOT NULL ORDER BY 1);
  ELSE
    -- only the changes that move a count: another blank, deletion, the fill or a person's verdict on it
    blank_ids := ARRAY(
      SELECT DISTINCT x.id FROM (
        SELECT n."blankId" AS id, o."blankId" AS old_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n."blankId", n."deletedAt", n.fill, n."fillOverride") IS DISTINCT FROM (o."blankId", o."deletedAt", o.fill, o."fillOverride")
      ) changed, LATERAL (VALUES (changed.id), (changed.old_id)) AS x(id)
       WHERE x.id IS NOT NULL ORDER BY 1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "UploadSchool" ("eventId", "schoolId", "uploadId")
    SELECT DISTINCT b."eventId", b."schoolId", n."uploadId"
      FROM new_rows n JOIN "Blank" b ON b.id = n."blankId"
     ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING;
  END IF;
  PERFORM completeness_refresh_blanks(blank_ids);
  RETURN NULL;
END
$$;

CREATE TRIGGER completeness_scan_insert AFTER INSERT ON "Scan" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION completeness_scan_changed();
CREATE TRIGGER completeness_scan_update AFTER UPDATE ON "Scan" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION completeness_scan_changed();
CREATE TRIGGER completeness_scan_delete AFTER DELETE ON "Scan" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION completeness_scan_changed();

CREATE FUNCTION completeness_blank_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  event_ids uuid[];
  school_ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(e ORDER BY e, s), array_agg(s ORDER BY e, s) INTO event_ids, school_ids
      FROM (SELECT DISTINCT "eventId" AS e, "schoolId" AS s FROM new_rows) x;
  ELSE
    SELECT array_agg(e ORDER BY e, s), array_agg(s ORDER BY e, s) INTO event_ids, school_ids
      FROM (SELECT DISTINCT "eventId" AS e, "schoolId" AS s FROM old_rows) x;
  END IF;
  PERFORM completeness_refresh_schools(event_ids, school_ids);
  RETURN NULL;
END
$$;

CREATE TRIGGER completeness_blank_insert AFTER INSERT ON "Blank" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION completeness_blank_changed();
CREATE TRIGGER completeness_blank_delete AFTER DELETE ON "Blank" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION completeness_blank_changed();
-- a blank moved to another kit or school (a corrected registry): both schools recounted; the counts' own updates
-- (liveScans, emptyScans) are left out, as completeness_refresh_blanks recounts the schools itself
CREATE FUNCTION completeness_blank_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."kitId", NEW."schoolId", NEW."eventId") IS DISTINCT FROM (OLD."kitId", OLD."schoolId", OLD."eventId") THEN
    PERFORM completeness_refresh_schools(ARRAY[OLD."eventId", NEW."eventId"], ARRAY[OLD."schoolId", NEW."schoolId"]);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER completeness_blank_move AFTER UPDATE OF "kitId", "schoolId", "eventId" ON "Blank" FOR EACH ROW EXECUTE FUNCTION completeness_blank_moved();

-- what is already there, counted once
UPDATE "Blank" b
   SET "liveScans" = c.live, "emptyScans" = c.empties
  FROM (SELECT s."blankId" AS id, count(*)::int AS live,
               (count(*) FILTER (WHERE COALESCE(s."fillOverride", s.fill) = 'empty'))::int AS empties
          FROM "Scan" s WHERE s."blankId" IS NOT NULL AND s."deletedAt" IS NULL GROUP BY s."blankId") c
 WHERE b.id = c.id;
INSERT INTO "SchoolCompleteness" ("eventId", "schoolId", "regionCode", kits, blanks, total, filled, duplicates, empty, missing)
SELECT b."eventId", b."schoolId", min(b."regionCode"),
       count(DISTINCT b."kitId")::int, count(*)::int, COALESCE(sum(b."liveScans"), 0)::int,
       (count(*) FILTER (WHERE b."liveScans" = 1 AND b."emptyScans" = 0))::int,
       COALESCE(sum(b."liveScans") FILTER (WHERE b."liveScans" > 1), 0)::int,
       (count(*) FILTER (WHERE b."liveScans" = 1 AND b."emptyScans" = 1))::int,
       (count(*) FILTER (WHERE b."liveScans" = 0))::int
  FROM "Blank" b GROUP BY b."eventId", b."schoolId";
INSERT INTO "UploadSchool" ("eventId", "schoolId", "uploadId")
SELECT DISTINCT b."eventId", b."schoolId", s."uploadId" FROM "Scan" s JOIN "Blank" b ON b.id = s."blankId";
