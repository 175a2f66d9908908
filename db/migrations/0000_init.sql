CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region" text NOT NULL,
	"address" text,
	"contact" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role" text NOT NULL,
	"phone" text NOT NULL,
	"name" text NOT NULL,
	"plate_number" text,
	"partner_id" uuid,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_phone_unique" UNIQUE("phone"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('driver', 'partner_staff', 'committee')),
	CONSTRAINT "users_partner_binding" CHECK (("users"."role" = 'partner_staff') = ("users"."partner_id" is not null)),
	CONSTRAINT "users_driver_plate" CHECK ("users"."role" <> 'driver' or "users"."plate_number" is not null)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"owner_id" uuid,
	"bounded" boolean NOT NULL,
	"posted" numeric(20,2) DEFAULT 0 NOT NULL,
	"debits_pending" numeric(20,2) DEFAULT 0 NOT NULL,
	"credits_pending" numeric(20,2) DEFAULT 0 NOT NULL,
	"entries" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_no_overdraft" CHECK (not "ledger_accounts"."bounded" or "ledger_accounts"."posted" - "ledger_accounts"."debits_pending" >= 0),
	CONSTRAINT "ledger_accounts_pending_nonneg" CHECK ("ledger_accounts"."debits_pending" >= 0 and "ledger_accounts"."credits_pending" >= 0),
	CONSTRAINT "ledger_accounts_unbounded_no_counters" CHECK ("ledger_accounts"."bounded" or ("ledger_accounts"."posted" = 0 and "ledger_accounts"."debits_pending" = 0 and "ledger_accounts"."credits_pending" = 0))
);
--> statement-breakpoint
CREATE TABLE "ledger_idempotency" (
	"key" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_open_holds" (
	"hold_id" uuid PRIMARY KEY NOT NULL,
	"debit_account_id" uuid NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"transfer_id" uuid NOT NULL,
	"leg" smallint NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" numeric(20,2) NOT NULL,
	"pending" boolean NOT NULL,
	"balance_after" numeric(20,2),
	"seq" bigint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_postings_transfer_id_leg_pk" PRIMARY KEY("transfer_id","leg"),
	CONSTRAINT "ledger_postings_nonzero" CHECK ("ledger_postings"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"code" text NOT NULL,
	"amount" numeric(20,2) NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"ref_type" text,
	"ref_id" text,
	"pending_id" uuid,
	"reverses_id" uuid,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK ("ledger_transfers"."amount" > 0),
	CONSTRAINT "ledger_transfers_resolution_shape" CHECK (("ledger_transfers"."type" in ('post_pending', 'void_pending')) = ("ledger_transfers"."pending_id" is not null)),
	CONSTRAINT "ledger_transfers_expiry_only_on_holds" CHECK ("ledger_transfers"."type" = 'pending' or "ledger_transfers"."expires_at" is null)
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"face_value" text NOT NULL,
	"price" numeric(20,2) NOT NULL,
	"stock_total" integer NOT NULL,
	"stock_left" integer NOT NULL,
	"per_driver_limit" integer NOT NULL,
	"limit_period" text DEFAULT 'month' NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"min_grade" text,
	"status" text DEFAULT 'pending_approval' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_price_positive" CHECK ("offers"."price" > 0),
	CONSTRAINT "offers_stock_range" CHECK ("offers"."stock_left" >= 0 and "offers"."stock_left" <= "offers"."stock_total"),
	CONSTRAINT "offers_limit_positive" CHECK ("offers"."per_driver_limit" >= 1),
	CONSTRAINT "offers_window" CHECK ("offers"."valid_from" is null or "offers"."valid_to" is null or "offers"."valid_from" < "offers"."valid_to")
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"offer_id" uuid NOT NULL,
	"driver_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"hold_id" uuid NOT NULL,
	"code" text NOT NULL,
	"price" numeric(20,2) NOT NULL,
	"captured" numeric(20,2),
	"status" text DEFAULT 'held' NOT NULL,
	"request_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"settlement_id" uuid,
	CONSTRAINT "redemptions_hold_id_unique" UNIQUE("hold_id"),
	CONSTRAINT "redemptions_code_unique" UNIQUE("code"),
	CONSTRAINT "redemptions_request_key_unique" UNIQUE("request_key"),
	CONSTRAINT "redemptions_captured" CHECK ("redemptions"."captured" is null or ("redemptions"."captured" > 0 and "redemptions"."captured" <= "redemptions"."price"))
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"amount" numeric(20,2) NOT NULL,
	"redemptions" integer NOT NULL,
	"transfer_id" uuid,
	"request_key" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "settlements_request_key_unique" UNIQUE("request_key")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_open_holds" ADD CONSTRAINT "ledger_open_holds_hold_id_ledger_transfers_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_pending_id_ledger_transfers_id_fk" FOREIGN KEY ("pending_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_reverses_id_ledger_transfers_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_driver_id_users_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partners_region_idx" ON "partners" USING btree ("region");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "audit_log_created_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_owner_uq" ON "ledger_accounts" USING btree ("kind","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_singleton_uq" ON "ledger_accounts" USING btree ("kind") WHERE "ledger_accounts"."owner_id" is null;--> statement-breakpoint
CREATE INDEX "ledger_open_holds_expiry_idx" ON "ledger_open_holds" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ledger_open_holds_account_idx" ON "ledger_open_holds" USING btree ("debit_account_id","expires_at");--> statement-breakpoint
CREATE INDEX "ledger_postings_account_idx" ON "ledger_postings" USING btree ("account_id","created_at","transfer_id","leg");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_postings_account_seq_uq" ON "ledger_postings" USING btree ("account_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_pending_uq" ON "ledger_transfers" USING btree ("pending_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_reverses_uq" ON "ledger_transfers" USING btree ("reverses_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_created_idx" ON "ledger_transfers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_ref_idx" ON "ledger_transfers" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "offers_catalog_idx" ON "offers" USING btree ("status","category","price");--> statement-breakpoint
CREATE INDEX "offers_partner_idx" ON "offers" USING btree ("partner_id","status");--> statement-breakpoint
CREATE INDEX "redemptions_driver_idx" ON "redemptions" USING btree ("driver_id","created_at");--> statement-breakpoint
CREATE INDEX "redemptions_driver_offer_idx" ON "redemptions" USING btree ("driver_id","offer_id","created_at");--> statement-breakpoint
CREATE INDEX "redemptions_partner_idx" ON "redemptions" USING btree ("partner_id","status","resolved_at");--> statement-breakpoint
CREATE INDEX "redemptions_expiry_idx" ON "redemptions" USING btree ("expires_at") WHERE "redemptions"."status" = 'held';--> statement-breakpoint
CREATE UNIQUE INDEX "settlements_partner_period_uq" ON "settlements" USING btree ("partner_id","period_from","period_to");