// The waiting list of a full slot: people in line, and the seat offered to the first of them when one
// frees, held on the slot's counter (session_slots.held, see seats.ts) until it is claimed, declined or
// expires.
import { sql } from 'drizzle-orm'
import { bigint, check, index, pgEnum, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'
import { sessions } from '../catalog/tables.js'

/** waiting -> offered -> claimed; waiting or offered -> left; offered (or waiting, once the slot started) -> expired. */
export const WAITLIST_STATUSES = ['waiting', 'offered', 'claimed', 'expired', 'left'] as const
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number]

export const waitlistStatus = pgEnum('waitlist_status', WAITLIST_STATUSES)

export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    bookingDate: timestamp({ withTimezone: true }).notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: waitlistStatus().notNull().default('waiting'),
    // The line's order. Joins take it while they hold the slot's counter row locked, so within a slot
    // it is the order in which people joined, whatever the clocks of the processes say.
    joinOrder: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    // Set with the offer: until then the seat is held for this entry.
    offerExpiresAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('waitlist_one_active_per_user_slot')
      .on(table.sessionId, table.bookingDate, table.userId)
      .where(sql`${table.status} in ('waiting', 'offered')`),
    // The line of a slot: its first entries, positions and the number waiting.
    index('waitlist_line_idx')
      .on(table.sessionId, table.bookingDate, table.joinOrder)
      .where(sql`${table.status} = 'waiting'`),
    index('waitlist_user_idx').on(table.userId, table.createdAt, table.id),
    // The schedule: offers that ran out, and lines of slots that started.
    index('waitlist_offer_expiry_idx').on(table.offerExpiresAt).where(sql`${table.status} = 'offered'`),
    index('waitlist_waiting_date_idx').on(table.bookingDate).where(sql`${table.status} = 'waiting'`),
    check('waitlist_offer_expires', sql`${table.status} <> 'offered' or ${table.offerExpiresAt} is not null`),
  ],
)
