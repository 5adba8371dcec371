// The catalog: bookable sessions, owned by a business and created by one of its people.
import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, numeric, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { users } from '../accounts/tables.js'
import { auditedColumns, businesses } from '../businesses/tables.js'
import type { Schedule } from './schedule.js'

/** Whether a session is open for booking (and shown to the public) or closed. */
export const SESSION_STATUSES = ['active', 'inactive'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]

export const sessionStatus = pgEnum('session_status', SESSION_STATUSES)

export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    creatorId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    title: text().notNull(),
    description: text().notNull().default(''),
    duration: integer().notNull(),
    price: numeric({ precision: 10, scale: 2 }).notNull(),
    maxParticipants: integer().notNull(),
    imageUrl: text().notNull().default(''),
    status: sessionStatus().notNull().default('active'),
    // Null: any future instant is a slot; else the slots schedule.ts expands (API.md, "Session schedules").
    schedule: jsonb().$type<Schedule>(),
    ...auditedColumns(),
  },
  (table) => [
    check('sessions_duration_range', sql`${table.duration} between 5 and 1440`),
    check('sessions_price_non_negative', sql`${table.price} >= 0`),
    check('sessions_capacity_range', sql`${table.maxParticipants} between 1 and 10000`),
    // Keyset orderings of the list (each with id as the tie-breaker), live rows only. The default
    // order's also holds what visibility asks (status, business), so a deep page's ids are an
    // index-only walk rather than a heap visit per skipped row.
    index('sessions_created_idx')
      .on(table.createdAt, table.id, table.status, table.businessId)
      .where(sql`not ${table.isDeleted}`),
    index('sessions_price_idx').on(table.price, table.id).where(sql`not ${table.isDeleted}`),
    index('sessions_duration_idx').on(table.duration, table.id).where(sql`not ${table.isDeleted}`),
    index('sessions_title_idx').on(table.title, table.id).where(sql`not ${table.isDeleted}`),
    index('sessions_business_idx').on(table.businessId, table.createdAt).where(sql`not ${table.isDeleted}`),
    index('sessions_creator_idx').on(table.creatorId, table.createdAt).where(sql`not ${table.isDeleted}`),
    // Substring search (ILIKE '%word%') through trigrams instead of a scan.
    index('sessions_title_trgm_idx').using('gin', sql`${table.title} gin_trgm_ops`),
    index('sessions_description_trgm_idx').using('gin', sql`${table.description} gin_trgm_ops`),
  ],
)
