CREATE TABLE "volunteer_import_lanes" (
	"import_id" uuid NOT NULL,
	"lane" smallint NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "volunteer_import_lanes_import_id_lane_pk" PRIMARY KEY("import_id","lane")
);
--> statement-breakpoint
ALTER TABLE "volunteer_imports" ADD COLUMN "lanes" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_import_lanes" ADD CONSTRAINT "volunteer_import_lanes_import_id_volunteer_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."volunteer_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Imports stored before lanes are one lane, which has got as far as the import.
INSERT INTO "volunteer_import_lanes" ("import_id", "lane", "processed_rows")
SELECT "id", 0, "processed_rows" FROM "volunteer_imports";
