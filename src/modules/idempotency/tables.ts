// Answers kept for Idempotency-Key (API.md "Idempotent writes"): one row per caller, method, path and
// key, written in the same transaction as the request's own writes, so a kept answer exists exactly
// when its effect does.
import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    // `user:<id>`, or `ip:<address>` for an anonymous caller.
    caller: text().notNull(),
    method: text().notNull(),
    path: text().notNull(),
    key: text().notNull(),
    // SHA-256 of the request body as sent (JSON, before validation fills in defaults).
    fingerprint: text().notNull(),
    status: integer().notNull(),
    contentType: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.caller, table.method, table.path, table.key] }),
    // The schedule's sweep of expired keys.
    index('idempotency_keys_expires_idx').on(table.expiresAt),
  ],
)
