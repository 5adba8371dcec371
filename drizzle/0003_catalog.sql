CREATE TYPE "public"."session_status" AS ENUM('active', 'inactive');--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"creator_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"duration" integer NOT NULL,
	"price" numeric(10, 2) NOT NULL,
	"max_participants" integer NOT NULL,
	"image_url" text DEFAULT '' NOT NULL,
	"status" "session_status" DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "sessions_duration_range" CHECK ("sessions"."duration" between 5 and 1440),
	CONSTRAINT "sessions_price_non_negative" CHECK ("sessions"."price" >= 0),
	CONSTRAINT "sessions_capacity_range" CHECK ("sessions"."max_participants" between 1 and 10000)
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_creator_id_users_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_created_idx" ON "sessions" USING btree ("created_at","id") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_price_idx" ON "sessions" USING btree ("price","id") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_duration_idx" ON "sessions" USING btree ("duration","id") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_title_idx" ON "sessions" USING btree ("title","id") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_business_idx" ON "sessions" USING btree ("business_id","created_at") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_creator_idx" ON "sessions" USING btree ("creator_id","created_at") WHERE not "sessions"."is_deleted";--> statement-breakpoint
CREATE INDEX "sessions_title_trgm_idx" ON "sessions" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sessions_description_trgm_idx" ON "sessions" USING gin ("description" gin_trgm_ops);