// The public directory (GET /api/directory/): active, live businesses with their active staff, for
// customers choosing one to book with. Anyone may read it, so there is no access check: what it shows
// is limited by the query (never settings, email or phone). Each business's staff come in the same
// statement, as a JSON array of a correlated subquery.
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import { cappedCount, listTotal } from '../../platform/db/count.js'
import type { Database } from '../../platform/db/index.js'
import { badRequest, notFound } from '../../platform/errors.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { scopedSql } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { users } from '../accounts/tables.js'
import { businessProfile } from '../businesses/service.js'
import { businesses, memberships, type OpeningHours } from '../businesses/tables.js'

export type DirectoryDeps = { db: Database }

type Staff = { id: string; username: string; first_name: string; last_name: string; avatar: string }

const listed = sql`${businesses.isActive} and not ${businesses.isDeleted}`

// Owners first (the role enum's order), then by username.
const staff = sql<Staff[]>`(select coalesce(json_agg(json_build_object(
    'id', u.id, 'username', u.username, 'first_name', u.first_name, 'last_name', u.last_name,
    'avatar', u.avatar) order by m.role, u.username), '[]'::json)
  from ${memberships} m join ${users} u on u.id = m.user_id
  where ${scopedSql('m', businesses.id)} and u.is_active)`

const columns = {
  id: businesses.id,
  name: businesses.name,
  slug: businesses.slug,
  timezone: businesses.timezone,
  currency: businesses.currency,
  openingHours: businesses.openingHours,
  staff,
}
type DirectoryRow = {
  id: string
  name: string
  slug: string
  timezone: string
  currency: string
  openingHours: OpeningHours
  staff: Staff[]
}

export function directoryOut(row: DirectoryRow) {
  return { ...businessProfile(row), staff: row.staff }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`)

/** A page of the directory, by name, by page number or after a cursor ([name, id]). */
export async function listDirectory(deps: DirectoryDeps, query: { search?: string }, page: PageRequest) {
  const after = page.kind === 'cursor' ? page.after : null
  // A cursor is signed, but its shape is still checked: a 400, never a 500.
  if (after && !(after.length === 2 && typeof after[0] === 'string' && isUuid(String(after[1]))))
    throw badRequest('Invalid cursor.')
  const search: SQL | undefined = query.search
    ? sql`${businesses.name} ilike ${`%${escapeLike(query.search)}%`}`
    : undefined
  const where = and(listed, search)
  const rows: DirectoryRow[] = await deps.db
    .select(columns)
    .from(businesses)
    .where(
      and(
        where,
        after
          ? sql`(${businesses.name}, ${businesses.id}) > (${after[0]}::text, ${after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(businesses.name), asc(businesses.id))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const fromWhere = () => sql`from ${businesses} where ${where}`
  // A cursor page continues a list whose first page gave the total.
  const total = after
    ? null
    : await listTotal(deps.db, {
        key: `directory:${query.search ?? ''}`,
        fromWhere,
        exact: () => cappedCount(deps.db, fromWhere()),
      })
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.name, last.id] : null
  return { rows: shown, fetched: rows.length, lastPosition, total }
}

/** One listed business (404 for an inactive, deleted or unknown one). */
export async function directoryEntry(deps: DirectoryDeps, id: string): Promise<DirectoryRow> {
  const [row]: DirectoryRow[] = await deps.db
    .select(columns)
    .from(businesses)
    .where(and(listed, eq(businesses.id, id)))
  if (!row) throw notFound()
  return row
}
