// The catalog list (GET /api/sessions/): what a caller sees, filtered, in one of the orderings, by
// page number or keyset cursor, with a capped count. The busiest read: its statements are prepared per
// shape.
import { and, asc, desc, inArray, type SQL, sql } from 'drizzle-orm'
import { EXACT_COUNT_LIMIT, listTotal } from '../../platform/db/count.js'
import { isDataException } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import {
  literalInteger,
  placeholders,
  preparedShapes,
  type ValueOf,
  valuesFrom,
} from '../../platform/db/prepared.js'
import { badRequest } from '../../platform/errors.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { ownedBy } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { businesses } from '../businesses/tables.js'
import { filterConditions, filterValues, type SessionFilters } from './filters.js'
import { type SessionJoined, selectJoined } from './queries.js'
import { sessions } from './tables.js'

/**
 * What a caller may see: active sessions of active businesses, plus every session of the business
 * they are staff of (the value `staff_of`, when `staff`).
 */
function visible(staff: boolean, value: ValueOf): SQL {
  const live = sql`not ${sessions.isDeleted} and not ${businesses.isDeleted}`
  const open = sql`${sessions.status} = 'active' and ${businesses.isActive}`
  return staff
    ? sql`${live} and (${open} or ${ownedBy(sessions, value('staff_of'))})`
    : sql`${live} and ${open}`
}

/**
 * The same rule on the sessions table alone, for choosing a deep page's ids: the few closed businesses
 * become a hashed set and the default order's index holds the rest, so skipping 40,000 rows is an
 * index-only walk (3 ms) instead of a join per row (55 ms). Its row estimate is poorer (a NOT IN is
 * guessed at half the rows), so totals keep the join.
 */
function visibleAlone(staff: boolean, value: ValueOf): SQL {
  const businessesWhere = (condition: SQL) =>
    sql`(select ${businesses.id} from ${businesses} where ${condition})`
  const open = sql`${sessions.status} = 'active' and ${sessions.businessId} not in ${businessesWhere(
    sql`${businesses.isDeleted} or not ${businesses.isActive}`,
  )}`
  return staff
    ? sql`not ${sessions.isDeleted} and ${sessions.businessId} not in ${businessesWhere(sql`${businesses.isDeleted}`)}
        and (${open} or ${ownedBy(sessions, value('staff_of'))})`
    : sql`not ${sessions.isDeleted} and ${open}`
}

const ORDER_COLUMNS = {
  created_at: { column: sessions.createdAt, cast: sql`timestamptz` },
  price: { column: sessions.price, cast: sql`numeric` },
  duration: { column: sessions.duration, cast: sql`integer` },
  title: { column: sessions.title, cast: sql`text` },
} as const

type ListedSession = SessionJoined & { sortKey: string }
export type SessionPage = Awaited<ReturnType<typeof listSessions>>
const listPages = preparedShapes<{ execute(values: Record<string, unknown>): Promise<ListedSession[]> }>()
const listCounts = preparedShapes<{ execute(values: Record<string, unknown>): Promise<{ n: number }[]> }>()

/**
 * A page of the catalog. The page and count queries are prepared per shape (caller's standing,
 * ordering, filters present, first page or after a cursor): the public list is the busiest read.
 */
export async function listSessions(
  db: Database,
  staffOf: string | null,
  filters: SessionFilters,
  page: PageRequest,
) {
  const ordering = filters.ordering ?? '-created_at'
  const descending = ordering.startsWith('-')
  const { column, cast } = ORDER_COLUMNS[ordering.replace(/^-/, '') as keyof typeof ORDER_COLUMNS]
  const after = page.kind === 'cursor' ? page.after : null
  // A cursor is client input: [sort key, id]. One that does not fit the ordering is a 400, not a 500.
  if (after && (after.length !== 2 || typeof after[1] !== 'string' || !isUuid(after[1])))
    throw badRequest('Invalid cursor.')
  const bound = filterValues(filters)
  const present = new Set(Object.keys(bound))
  const filterShape = `${staffOf ? 'staff' : 'public'}:${[...present].sort().join(',')}`
  const offset = page.kind === 'page' ? page.offset : 0
  const position = after ? 'after' : offset > 0 ? 'offset' : 'first'
  const values = {
    ...bound,
    staff_of: staffOf,
    offset,
    ...(after && { after_key: after[0], after_id: after[1] }),
  }
  const where = (value: ValueOf) => and(visible(Boolean(staffOf), value), ...filterConditions(present, value))
  const keyset = () => {
    const position = sql`(${sql.placeholder('after_key')}::${cast}, ${sql.placeholder('after_id')}::uuid)`
    return descending
      ? sql`(${column}, ${sessions.id}) < ${position}`
      : sql`(${column}, ${sessions.id}) > ${position}`
  }
  const direction = descending ? desc : asc
  // A page by number skips `offset` rows: chosen by id first (visibleAlone), then joined.
  const deepPageIds = (value: ValueOf) =>
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(visibleAlone(Boolean(staffOf), value), ...filterConditions(present, value)))
      .orderBy(direction(column), direction(sessions.id))
      .limit(literalInteger(page.limit))
      .offset(sql.placeholder('offset'))
  const rows = await listPages(
    db,
    `sessions_page:${filterShape}:${ordering}:${position}:${page.limit}`,
    (name) =>
      selectJoined(db, { sortKey: sql<string>`${column}::text` })
        .where(
          position === 'offset'
            ? inArray(sessions.id, deepPageIds(placeholders))
            : and(where(placeholders), after ? keyset() : undefined),
        )
        .orderBy(direction(column), direction(sessions.id))
        .limit(literalInteger(page.limit))
        .prepare(name),
    // How selective a substring is decides the plan: a trigram index for a rare one, the ordering's
    // index for a common one. A generic plan would scan every row for a rare word (200 ms here).
    { plannedEachTime: present.has('search') },
  )
    .execute(values)
    .catch((error: unknown) => {
      // The cursor's sort key does not cast to the column's type.
      if (after && isDataException(error)) throw badRequest('Invalid cursor.')
      throw error
    })
  const fromWhere = (value: ValueOf) =>
    sql`from ${sessions} inner join ${businesses} on ${businesses.id} = ${sessions.businessId} where ${where(value)}`
  // A cursor page continues a list whose first page gave the total: it costs no count.
  const total = after
    ? null
    : await listTotal(db, {
        key: `sessions:${filterShape}:${JSON.stringify([staffOf, bound])}`,
        fromWhere: () => fromWhere(valuesFrom(values)),
        exact: async () => {
          const [counted] = await listCounts(
            db,
            `sessions_count:${filterShape}`,
            (name) =>
              db
                .select({ n: sql<number>`count(*)::int` })
                .from(
                  sql`(select 1 ${fromWhere(placeholders)} limit ${literalInteger(EXACT_COUNT_LIMIT + 1)}) as capped`,
                )
                .prepare(name),
            { plannedEachTime: present.has('search') },
          ).execute(values)
          return counted?.n ?? 0
        },
      })
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.sortKey, last.session.id] : null
  return { rows: shown, fetched: rows.length, lastPosition, total }
}
