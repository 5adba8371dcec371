CREATE TYPE "public"."reservation_status" AS ENUM('pending', 'confirmed', 'cancelled', 'completed');--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"staff_id" uuid,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"period" "tstzrange" GENERATED ALWAYS AS (tstzrange(start_time, end_time, '[)')) STORED NOT NULL,
	"status" "reservation_status" DEFAULT 'pending' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "reservations_length" CHECK ("reservations"."end_time" - "reservations"."start_time" between interval '5 minutes' and interval '12 hours')
);
--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "opening_hours" jsonb DEFAULT '{"monday":[["09:00","18:00"]],"tuesday":[["09:00","18:00"]],"wednesday":[["09:00","18:00"]],"thursday":[["09:00","18:00"]],"friday":[["09:00","18:00"]],"saturday":[["09:00","18:00"]],"sunday":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_staff_id_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reservations_business_start_idx" ON "reservations" USING btree ("business_id","start_time","id");--> statement-breakpoint
CREATE INDEX "reservations_customer_start_idx" ON "reservations" USING btree ("customer_id","start_time","id");--> statement-breakpoint
CREATE INDEX "reservations_staff_start_idx" ON "reservations" USING btree ("staff_id","start_time");--> statement-breakpoint
-- Written by hand: drizzle cannot declare an exclusion constraint. Two pending or confirmed reservations
-- of one calendar (the business's when staff_id is null, else that staff member's) never overlap.
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_no_overlap" EXCLUDE USING gist (
	"business_id" WITH =,
	(coalesce("staff_id", '00000000-0000-0000-0000-000000000000'::uuid)) WITH =,
	"period" WITH &&
) WHERE ("status" IN ('pending', 'confirmed') AND NOT "is_deleted");
