// Businesses (tenants), memberships and invitations. Businesses and memberships carry the audit columns
// and soft delete of every business-owned table.
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

/** The values that soft-delete a row with auditedColumns(): by `actorId` (null: the system) at `now`. */
export const softDeletion = (actorId: string | null, now: Date) => ({
  isDeleted: true,
  deletedAt: now,
  deletedBy: actorId,
  updatedAt: now,
  updatedBy: actorId,
})

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

/**
 * Invitations to join a business, mailed to an address and accepted by whoever signs in with it. The
 * token only travels in the email; the row keeps its SHA-256. An accepted row stays until it expires.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    // As typed by the inviter; compared with users' addresses case-insensitively.
    email: text().notNull(),
    role: membershipRole().notNull(),
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    uniqueIndex('invitations_token_hash_key').on(table.tokenHash),
    // One open invitation per address and business: re-inviting replaces it.
    uniqueIndex('invitations_business_email_key')
      .on(table.businessId, sql`lower(${table.email})`)
      .where(sql`${table.acceptedAt} is null`),
    // The schedule's sweep of expired invitations.
    index('invitations_expires_idx').on(table.expiresAt),
  ],
)
