// The catalog's shared reads: a session joined with its business and creator, the columns every list
// selects for it, and the one-session lookup (prepared: every detail and every write reloads through it).
import { and, eq, sql } from 'drizzle-orm'
import type { SelectedFields } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { preparedOn } from '../../platform/db/prepared.js'
import { notFound } from '../../platform/errors.js'
import { users } from '../accounts/tables.js'
import { businesses } from '../businesses/tables.js'
import { sessions } from './tables.js'

/** What a session answer shows: the session, its business and its creator. */
export const joinedColumns = {
  session: sessions,
  business: {
    id: businesses.id,
    name: businesses.name,
    slug: businesses.slug,
    isActive: businesses.isActive,
    // Read for the session's next_slot, which the schedule gives in the business's time zone.
    timezone: businesses.timezone,
  },
  creator: {
    id: users.id,
    username: users.username,
    firstName: users.firstName,
    lastName: users.lastName,
    avatar: users.avatar,
  },
}

export type SessionJoined = {
  session: typeof sessions.$inferSelect
  business: { id: string; name: string; slug: string; isActive: boolean; timezone: string }
  creator: { id: string; username: string; firstName: string; lastName: string; avatar: string }
}

/** Sessions joined with their business and creator, selecting `joinedColumns` and `extra`. */
export function selectJoined<Extra extends SelectedFields>(db: Database, extra: Extra) {
  return db
    .select({ ...joinedColumns, ...extra })
    .from(sessions)
    .innerJoin(businesses, eq(businesses.id, sessions.businessId))
    .innerJoin(users, eq(users.id, sessions.creatorId))
}

const sessionById = preparedOn('session_by_id', (db, name) =>
  selectJoined(db, {})
    .where(
      and(
        eq(sessions.id, sql.placeholder('id')),
        sql`not ${sessions.isDeleted}`,
        sql`not ${businesses.isDeleted}`,
      ),
    )
    .prepare(name),
)

/** A live session of a live business, joined (404 otherwise). */
export async function loadSession(db: Database, id: string): Promise<SessionJoined> {
  const [row] = await sessionById(db).execute({ id })
  if (!row) throw notFound()
  return row
}
