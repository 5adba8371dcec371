// Calendar feeds: one per user and one per business. The token in the feed's URL is derived from the
// row's nonce and SECRET_KEY (feeds.ts); only its hash is stored, to find the feed by it.
import { sql } from 'drizzle-orm'
import { check, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'
import { businesses } from '../businesses/tables.js'

export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    businessId: uuid().references(() => businesses.id, { onDelete: 'cascade' }),
    // 128 random bits, replaced on rotation; the token is an HMAC of it under SECRET_KEY.
    nonce: text().notNull(),
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex('calendar_feeds_token_hash_key').on(table.tokenHash),
    uniqueIndex('calendar_feeds_user_key').on(table.userId).where(sql`${table.businessId} is null`),
    uniqueIndex('calendar_feeds_business_key')
      .on(table.businessId)
      .where(sql`${table.businessId} is not null`),
    check('calendar_feeds_one_owner', sql`(${table.userId} is null) <> (${table.businessId} is null)`),
  ],
)
