// Platform settings: a single row (id 1), created with its defaults by the migration.
import { sql } from 'drizzle-orm'
import { boolean, check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const platformSettings = pgTable(
  'platform_settings',
  {
    id: integer().primaryKey().default(1),
    siteName: text().notNull().default('Tessera'),
    timezone: text().notNull().default('UTC'),
    defaultCurrency: text().notNull().default('EUR'),
    pendingExpiryHours: integer().notNull().default(24),
    reminderHoursBefore: integer().notNull().default(24),
    allowRegistration: boolean().notNull().default(true),
    // How long a seat offered to the first in a waiting list stays held for them.
    waitlistHoldMinutes: integer().notNull().default(120),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid(),
  },
  (table) => [
    check('platform_settings_single_row', sql`${table.id} = 1`),
    check('platform_settings_waitlist_hold_range', sql`${table.waitlistHoldMinutes} between 5 and 10080`),
  ],
)
