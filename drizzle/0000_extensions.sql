-- Extensions every later migration may rely on: exclusion constraints over ranges (btree_gist),
-- trigram search indexes (pg_trgm) and case-insensitive text (citext).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS citext;
