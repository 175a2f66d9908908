CREATE TABLE "driver_ratings" (
	"driver_id" uuid PRIMARY KEY NOT NULL,
	"grade" text NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	"policy_version_id" uuid NOT NULL,
	"safety_points" numeric(5, 2) NOT NULL,
	"volunteering_points" numeric(5, 2) NOT NULL,
	"reporting_points" numeric(5, 2) NOT NULL,
	"minor_violations" integer NOT NULL,
	"major_violations" integer NOT NULL,
	"at_fault_accidents" integer NOT NULL,
	"serious_accidents" integer NOT NULL,
	"volunteer_hours" numeric(9, 2) NOT NULL,
	"verified_reports" integer NOT NULL,
	"streak_since" timestamp with time zone NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "driver_ratings_score" CHECK ("driver_ratings"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "rating_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"driver_id" uuid NOT NULL,
	"grade" text NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	"policy_version_id" uuid NOT NULL,
	"safety_points" numeric(5, 2) NOT NULL,
	"volunteering_points" numeric(5, 2) NOT NULL,
	"reporting_points" numeric(5, 2) NOT NULL,
	"minor_violations" integer NOT NULL,
	"major_violations" integer NOT NULL,
	"at_fault_accidents" integer NOT NULL,
	"serious_accidents" integer NOT NULL,
	"volunteer_hours" numeric(9, 2) NOT NULL,
	"verified_reports" integer NOT NULL,
	"streak_since" timestamp with time zone NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"previous_grade" text,
	"previous_score" numeric(5, 2),
	"cause" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rating_policy_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"policy" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rating_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"local_date" text NOT NULL,
	"policy_version_id" uuid NOT NULL,
	"cause" text NOT NULL,
	"drivers" integer NOT NULL,
	"changed" integer NOT NULL,
	"grade_changes" integer NOT NULL,
	"millis" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "driver_ratings" ADD CONSTRAINT "driver_ratings_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_ratings" ADD CONSTRAINT "driver_ratings_policy_version_id_rating_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."rating_policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_history" ADD CONSTRAINT "rating_history_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_history" ADD CONSTRAINT "rating_history_policy_version_id_rating_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."rating_policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_policy_versions" ADD CONSTRAINT "rating_policy_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_runs" ADD CONSTRAINT "rating_runs_policy_version_id_rating_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."rating_policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "driver_ratings_grade_idx" ON "driver_ratings" USING btree ("grade");--> statement-breakpoint
CREATE INDEX "rating_history_driver_idx" ON "rating_history" USING btree ("driver_id","rated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_policy_versions_version_uq" ON "rating_policy_versions" USING btree ("version");--> statement-breakpoint
CREATE INDEX "rating_policy_versions_effective_idx" ON "rating_policy_versions" USING btree ("effective_from");--> statement-breakpoint
CREATE INDEX "rating_runs_as_of_idx" ON "rating_runs" USING btree ("as_of");--> statement-breakpoint
-- Policy versions and rating history are never rewritten: a change is a new version or a new row.
CREATE TRIGGER rating_policy_versions_append_only BEFORE UPDATE OR DELETE ON rating_policy_versions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER rating_policy_versions_no_truncate BEFORE TRUNCATE ON rating_policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER rating_history_append_only BEFORE UPDATE OR DELETE ON rating_history
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER rating_history_no_truncate BEFORE TRUNCATE ON rating_history
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
-- DESIGN.md §5 defaults (DEFAULT_POLICY in api/rating/policy.ts), version 1, in force from the start of the programme.
INSERT INTO rating_policy_versions (id, version, effective_from, policy, note) VALUES
  ('00000000-0000-4000-8000-000000000301', 1, '2000-01-01T00:00:00Z', '{
    "windowDays": 365,
    "safety": {"weight": "50", "deductions": {"minorViolation": "5", "majorViolation": "15", "atFaultAccident": "20", "seriousAccident": "50"}},
    "volunteering": {"weight": "30", "pointsPerHour": "1.5", "maxHours": "20"},
    "reporting": {"weight": "20", "pointsPerReport": "2", "maxReports": 10},
    "grades": {
      "AAA": {"minScore": "85", "maxMajorViolations": 0, "maxAtFaultAccidents": 0, "minStreakDays": 100},
      "AA": {"minScore": "70", "maxSeriousAccidents": 0},
      "A": {"minScore": "55"}
    },
    "benefits": {
      "AAA": {"earningMultiplier": "1.2", "priceDiscount": "0.10"},
      "AA": {"earningMultiplier": "1.1", "priceDiscount": "0.05"},
      "A": {"earningMultiplier": "1", "priceDiscount": "0"},
      "B": {"earningMultiplier": "1", "priceDiscount": "0"}
    }
  }', 'programme default (DESIGN.md §5)');
