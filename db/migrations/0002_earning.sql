CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"driver_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decision_note" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "earnings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"driver_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"rule_version_id" uuid,
	"units" numeric(12, 2) NOT NULL,
	"requested_units" numeric(12, 2) NOT NULL,
	"base_points" numeric(20,2) NOT NULL,
	"multiplier" numeric(6, 3) NOT NULL,
	"grade" text,
	"points" numeric(20,2) NOT NULL,
	"activity_at" timestamp with time zone NOT NULL,
	"transfer_id" uuid,
	"reason" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "earnings_key_unique" UNIQUE("key"),
	CONSTRAINT "earnings_points_nonneg" CHECK ("earnings"."points" >= 0)
);
--> statement-breakpoint
CREATE TABLE "grid_report_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"department" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"driver_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"lat" numeric(9, 6) NOT NULL,
	"lng" numeric(9, 6) NOT NULL,
	"category" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"department" text,
	"likely_duplicate_of" uuid,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grid_reports_lat" CHECK ("grid_reports"."lat" between -90 and 90),
	CONSTRAINT "grid_reports_lng" CHECK ("grid_reports"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb,
	"dedupe_key" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"mime" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_rule_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"terms" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"activity" text NOT NULL,
	"name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_rules_activity_unique" UNIQUE("activity")
);
--> statement-breakpoint
CREATE TABLE "safety_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text NOT NULL,
	"driver_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"severity" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text,
	"voided_at" timestamp with time zone,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safety_events_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "safety_events_severity_shape" CHECK (("safety_events"."kind" = 'violation' and "safety_events"."severity" in ('minor', 'major'))
        or ("safety_events"."kind" = 'accident' and "safety_events"."severity" in ('at_fault_minor', 'serious'))
        or ("safety_events"."kind" = 'inspection_passed' and "safety_events"."severity" is null))
);
--> statement-breakpoint
CREATE TABLE "volunteer_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"driver_id" uuid NOT NULL,
	"event" text NOT NULL,
	"organiser" text,
	"activity_date" date NOT NULL,
	"hours" numeric(5, 2) NOT NULL,
	"photo_id" uuid,
	"status" text DEFAULT 'submitted' NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"import_id" uuid,
	"import_line" integer,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_claims_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "volunteer_claims_hours" CHECK ("volunteer_claims"."hours" > 0 and "volunteer_claims"."hours" <= 24)
);
--> statement-breakpoint
CREATE TABLE "volunteer_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"status" text DEFAULT 'processing' NOT NULL,
	"total_rows" integer,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings" ADD CONSTRAINT "earnings_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings" ADD CONSTRAINT "earnings_rule_version_id_reward_rule_versions_id_fk" FOREIGN KEY ("rule_version_id") REFERENCES "public"."reward_rule_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings" ADD CONSTRAINT "earnings_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_report_events" ADD CONSTRAINT "grid_report_events_report_id_grid_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."grid_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_report_events" ADD CONSTRAINT "grid_report_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_reports" ADD CONSTRAINT "grid_reports_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_reports" ADD CONSTRAINT "grid_reports_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_settings" ADD CONSTRAINT "programme_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_rule_versions" ADD CONSTRAINT "reward_rule_versions_rule_id_reward_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."reward_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_rule_versions" ADD CONSTRAINT "reward_rule_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_rules" ADD CONSTRAINT "reward_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_events" ADD CONSTRAINT "safety_events_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_events" ADD CONSTRAINT "safety_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_claims" ADD CONSTRAINT "volunteer_claims_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_claims" ADD CONSTRAINT "volunteer_claims_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_claims" ADD CONSTRAINT "volunteer_claims_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_imports" ADD CONSTRAINT "volunteer_imports_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeals_status_idx" ON "appeals" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "appeals_driver_idx" ON "appeals" USING btree ("driver_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_open_uq" ON "appeals" USING btree ("subject_type","subject_id") WHERE "appeals"."status" = 'open';--> statement-breakpoint
CREATE INDEX "earnings_driver_activity_idx" ON "earnings" USING btree ("driver_id","source","activity_at");--> statement-breakpoint
CREATE UNIQUE INDEX "earnings_source_uq" ON "earnings" USING btree ("source","source_id");--> statement-breakpoint
CREATE INDEX "earnings_created_idx" ON "earnings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "grid_report_events_report_idx" ON "grid_report_events" USING btree ("report_id","created_at");--> statement-breakpoint
CREATE INDEX "grid_reports_driver_idx" ON "grid_reports" USING btree ("driver_id","created_at");--> statement-breakpoint
CREATE INDEX "grid_reports_status_idx" ON "grid_reports" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "grid_reports_place_idx" ON "grid_reports" USING btree ("category","lat","lng");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_rule_versions_uq" ON "reward_rule_versions" USING btree ("rule_id","version");--> statement-breakpoint
CREATE INDEX "reward_rule_versions_effective_idx" ON "reward_rule_versions" USING btree ("rule_id","effective_from");--> statement-breakpoint
CREATE INDEX "safety_events_driver_idx" ON "safety_events" USING btree ("driver_id","occurred_at");--> statement-breakpoint
CREATE INDEX "volunteer_claims_driver_idx" ON "volunteer_claims" USING btree ("driver_id","created_at");--> statement-breakpoint
CREATE INDEX "volunteer_claims_status_idx" ON "volunteer_claims" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('driver', 'partner_staff', 'committee', 'integration'));--> statement-breakpoint
-- History is never rewritten: rule versions, earnings and report steps are append-only.
CREATE TRIGGER reward_rule_versions_append_only BEFORE UPDATE OR DELETE ON reward_rule_versions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER reward_rule_versions_no_truncate BEFORE TRUNCATE ON reward_rule_versions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER earnings_append_only BEFORE UPDATE OR DELETE ON earnings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER earnings_no_truncate BEFORE TRUNCATE ON earnings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER grid_report_events_append_only BEFORE UPDATE OR DELETE ON grid_report_events
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
-- DESIGN.md §5 defaults, version 1 of each rule, in force from the start of the programme.
INSERT INTO reward_rules (id, activity, name) VALUES
  ('00000000-0000-4000-8000-000000000101', 'volunteering', 'Volunteering hours'),
  ('00000000-0000-4000-8000-000000000102', 'grid_report', 'Verified grid reports'),
  ('00000000-0000-4000-8000-000000000103', 'safety_streak', 'Every 30 days without a violation'),
  ('00000000-0000-4000-8000-000000000104', 'safety_challenge', '100-day zero-violation challenge');--> statement-breakpoint
INSERT INTO reward_rule_versions (id, rule_id, version, effective_from, terms, note) VALUES
  ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000101', 1, '2000-01-01T00:00:00Z',
   '{"points": "10", "unit": "hour", "caps": {"month": "40"}}', 'programme default'),
  ('00000000-0000-4000-8000-000000000202', '00000000-0000-4000-8000-000000000102', 1, '2000-01-01T00:00:00Z',
   '{"points": "5", "unit": "report", "pointsByCategory": {"broken_manhole_cover": "10", "road_collapse": "10"}, "caps": {"month": "30"}}', 'programme default'),
  ('00000000-0000-4000-8000-000000000203', '00000000-0000-4000-8000-000000000103', 1, '2000-01-01T00:00:00Z',
   '{"points": "20", "unit": "milestone", "everyDays": 30}', 'programme default'),
  ('00000000-0000-4000-8000-000000000204', '00000000-0000-4000-8000-000000000104', 1, '2000-01-01T00:00:00Z',
   '{"points": "100", "unit": "milestone", "everyDays": 100}', 'programme default');--> statement-breakpoint
INSERT INTO programme_settings (key, value, updated_at) VALUES
  ('awards', '{"maxPoints": "500"}', '2000-01-01T00:00:00Z'),
  ('expiry', '{"months": 24, "noticeDays": 30}', '2000-01-01T00:00:00Z');
