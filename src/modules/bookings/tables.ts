// Bookings of a session's slot (the exact instant `booking_date`), and the per-slot seat counter that
// makes "never overbooked" a property of one conditional UPDATE: bookings and the waiting list's
// offers (waitlist/seats.ts) both take their seats there.
import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'
import { auditedColumns, businesses } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { isActive, STATUSES } from '../lifecycle/status.js'

export const bookingStatus = pgEnum('booking_status', STATUSES)

export const sessionSlots = pgTable(
  'session_slots',
  {
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    bookingDate: timestamp({ withTimezone: true }).notNull(),
    // Pending and confirmed bookings of the slot.
    booked: integer().notNull().default(0),
    // Seats held for waiting-list offers until they are claimed (then booked) or passed on.
    held: integer().notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.sessionId, table.bookingDate] }),
    check('session_slots_booked_non_negative', sql`${table.booked} >= 0`),
    check('session_slots_held_non_negative', sql`${table.held} >= 0`),
  ],
)

export const bookings = pgTable(
  'bookings',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bookingDate: timestamp({ withTimezone: true }).notNull(),
    status: bookingStatus().notNull().default('pending'),
    // The session's price when booked; later price changes leave it alone.
    amount: numeric({ precision: 10, scale: 2 }).notNull(),
    // Set in the transaction that writes the reminder email: a reminder goes out once.
    remindedAt: timestamp({ withTimezone: true }),
    ...auditedColumns(),
  },
  (table) => [
    uniqueIndex('bookings_one_active_per_user_slot')
      .on(table.sessionId, table.bookingDate, table.userId)
      .where(sql`${isActive(table.status)} and not ${table.isDeleted}`),
    index('bookings_user_idx').on(table.userId, table.createdAt, table.id),
    index('bookings_business_idx').on(table.businessId, table.createdAt, table.id),
    index('bookings_session_idx').on(table.sessionId, table.bookingDate),
    // The dashboard: a business's bookings of a period, and whether a customer came before it.
    index('bookings_business_date_idx')
      .on(table.businessId, table.bookingDate)
      .where(sql`not ${table.isDeleted}`),
    // The scheduler: open bookings by their slot.
    index('bookings_open_date_idx')
      .on(table.bookingDate)
      .where(sql`${isActive(table.status)} and not ${table.isDeleted}`),
    index('bookings_business_user_date_idx')
      .on(table.businessId, table.userId, table.bookingDate)
      .where(sql`not ${table.isDeleted}`),
  ],
)
