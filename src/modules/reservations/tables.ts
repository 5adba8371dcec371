// Reservations: a customer's appointment with a business, or with one of its staff, over a half-open
// period [start_time, end_time). The database keeps two pending or confirmed reservations of the same
// calendar from overlapping: an exclusion constraint (btree_gist) over business, staff (a sentinel
// id for the business calendar, so that NULLs compare equal) and period, written in the migration
// because drizzle cannot declare it (reservations_no_overlap in drizzle/0005_reservations.sql).
import { sql } from 'drizzle-orm'
import { check, customType, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'
import { auditedColumns, businesses } from '../businesses/tables.js'
import { isActive, STATUSES } from '../lifecycle/status.js'

export const reservationStatus = pgEnum('reservation_status', STATUSES)

/** A tstzrange, read and written as PostgreSQL's text form; the code reads start_time/end_time. */
const tstzrange = customType<{ data: string }>({ dataType: () => 'tstzrange' })

/** The id standing for "no staff member" (the business calendar) in the exclusion constraint. */
export const BUSINESS_CALENDAR = '00000000-0000-0000-0000-000000000000'

export const reservations = pgTable(
  'reservations',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    customerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    staffId: uuid().references(() => users.id, { onDelete: 'set null' }),
    startTime: timestamp({ withTimezone: true }).notNull(),
    endTime: timestamp({ withTimezone: true }).notNull(),
    period: tstzrange().notNull().generatedAlwaysAs(sql`tstzrange(start_time, end_time, '[)')`),
    status: reservationStatus().notNull().default('pending'),
    notes: text().notNull().default(''),
    // Set in the transaction that writes the reminder email: a reminder goes out once.
    remindedAt: timestamp({ withTimezone: true }),
    ...auditedColumns(),
  },
  (table) => [
    check(
      'reservations_length',
      sql`${table.endTime} - ${table.startTime} between interval '5 minutes' and interval '12 hours'`,
    ),
    index('reservations_business_start_idx').on(table.businessId, table.startTime, table.id),
    index('reservations_customer_start_idx').on(table.customerId, table.startTime, table.id),
    index('reservations_staff_start_idx').on(table.staffId, table.startTime),
    // The scheduler: open reservations by their start.
    index('reservations_open_start_idx')
      .on(table.startTime)
      .where(sql`${isActive(table.status)} and not ${table.isDeleted}`),
    // The dashboard: whether a customer came to the business before a period.
    index('reservations_business_customer_start_idx')
      .on(table.businessId, table.customerId, table.startTime)
      .where(sql`not ${table.isDeleted}`),
  ],
)
