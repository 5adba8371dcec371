// Reading waiting-list entries: an entry with its session and its place in line, its answer, and the
// query every read starts from.
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { alias, type SelectedFields } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { notFound } from '../../platform/errors.js'
import { moneyText } from '../../platform/http/inputs.js'
import { sessions } from '../catalog/tables.js'
import { waitlistEntries } from './tables.js'

const ahead = alias(waitlistEntries, 'ahead')

/** Where a waiting entry stands in its slot's line (1 = next to be offered a seat); null for the others. */
const position: SQL<number | null> = sql`case when ${waitlistEntries.status} = 'waiting' then (
  select count(*)::int from ${waitlistEntries} ${ahead}
  where ${ahead.sessionId} = ${waitlistEntries.sessionId} and ${ahead.bookingDate} = ${waitlistEntries.bookingDate}
    and ${ahead.status} = 'waiting' and ${ahead.joinOrder} <= ${waitlistEntries.joinOrder}
) end`

const columns = {
  entry: waitlistEntries,
  session: { id: sessions.id, title: sessions.title, duration: sessions.duration, price: sessions.price },
  position,
}

export type EntryJoined = {
  entry: typeof waitlistEntries.$inferSelect
  session: { id: string; title: string; duration: number; price: string }
  position: number | null
}

export function entryOut({ entry, session, position }: EntryJoined) {
  return {
    id: entry.id,
    session: { ...session, price: moneyText(session.price) },
    booking_date: entry.bookingDate.toISOString(),
    status: entry.status,
    position,
    offer_expires_at: entry.offerExpiresAt?.toISOString() ?? null,
    created_at: entry.createdAt.toISOString(),
    updated_at: entry.updatedAt.toISOString(),
  }
}

/** Entries with their session and place in line, and the sort key of the newest-first order. */
export const joinedEntries = (db: Database, extra: SelectedFields = {}) =>
  db
    .select({ ...columns, sortKey: sql<string>`${waitlistEntries.createdAt}::text`, ...extra })
    .from(waitlistEntries)
    .innerJoin(sessions, eq(sessions.id, waitlistEntries.sessionId))

/** One of the user's entries; 404 for anyone else's, as for a missing one. */
export async function loadOwnEntry(db: Database, id: string, userId: string): Promise<EntryJoined> {
  const [row] = await joinedEntries(db).where(
    and(eq(waitlistEntries.id, id), eq(waitlistEntries.userId, userId)),
  )
  if (!row) throw notFound()
  return row
}
