ALTER TABLE "grid_reports" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "grid_reports" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "grid_reports" ADD CONSTRAINT "grid_reports_request_key_unique" UNIQUE("request_key");