// Businesses (tenants) and memberships. Both carry the audit columns and soft delete of every
// business-owned table.
import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'

/** created_by/updated_by/created_at/updated_at and is_deleted/deleted_at/deleted_by. */
export function auditedColumns() {
  return {
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    isDeleted: boolean().notNull().default(false),
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  }
}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const
export type Weekday = (typeof WEEKDAYS)[number]
/** Per weekday, the [open, close] local times ("09:00", "18:00") the business takes reservations. */
export type OpeningHours = Record<Weekday, [string, string][]>

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  monday: [['09:00', '18:00']],
  tuesday: [['09:00', '18:00']],
  wednesday: [['09:00', '18:00']],
  thursday: [['09:00', '18:00']],
  friday: [['09:00', '18:00']],
  saturday: [['09:00', '18:00']],
  sunday: [],
}

export const membershipRole = pgEnum('membership_role', ['owner', 'admin', 'manager', 'agent'])

export const businesses = pgTable(
  'businesses',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull(),
    timezone: text().notNull(),
    currency: text().notNull(),
    isActive: boolean().notNull().default(true),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    openingHours: jsonb().$type<OpeningHours>().notNull().default(DEFAULT_OPENING_HOURS),
    ...auditedColumns(),
  },
  // A deleted business gives its slug back.
  (table) => [uniqueIndex('businesses_slug_key').on(table.slug).where(sql`not ${table.isDeleted}`)],
)

export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole().notNull(),
    ...auditedColumns(),
  },
  (table) => [
    uniqueIndex('memberships_business_user_key')
      .on(table.businessId, table.userId)
      .where(sql`not ${table.isDeleted}`),
    index('memberships_user_idx').on(table.userId).where(sql`not ${table.isDeleted}`),
  ],
)
