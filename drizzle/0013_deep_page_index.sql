DROP INDEX "sessions_created_idx";--> statement-breakpoint
CREATE INDEX "sessions_created_idx" ON "sessions" USING btree ("created_at","id","status","business_id") WHERE not "sessions"."is_deleted";