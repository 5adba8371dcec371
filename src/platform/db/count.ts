// List totals that stay cheap at any size. The planner's row estimate comes first (remembered for a
// few seconds per query and values); only when it is small does the list pay for an exact count,
// which is capped so that a wrong estimate cannot make it expensive. Lists say which they answered
// with `total_is_estimate`. Counting first and estimating only above the limit cost a capped count on
// every request: 5 ms for the public list and 240 ms for a 5% substring search on 100,000 sessions.
import { type SQL, sql } from 'drizzle-orm'
import { type Database, queryRows } from './index.js'
import { dialect, literalInteger } from './prepared.js'

export const EXACT_COUNT_LIMIT = 1000
export const ESTIMATE_TTL_MS = 10_000
const MAX_REMEMBERED_ESTIMATES = 1000

export type Total = { count: number; isEstimate: boolean }

/**
 * `count(*)` of the rows of `fromWhere` (the `from … where …` part), capped just above
 * EXACT_COUNT_LIMIT, as an expression: a statement of its own, or a column of a list's page.
 */
export function cappedCountOf(fromWhere: SQL): SQL<number> {
  return sql<number>`(select count(*)::int from (
    select 1 ${fromWhere} limit ${literalInteger(EXACT_COUNT_LIMIT + 1)}
  ) as capped)`
}

/** The exact count of a list's rows, capped just above EXACT_COUNT_LIMIT. */
export async function cappedCount(db: Database, fromWhere: SQL): Promise<number> {
  const [exact] = await queryRows<{ n: number }>(db, sql`select ${cappedCountOf(fromWhere)} as n`)
  return exact?.n ?? 0
}

const estimates = new WeakMap<Database, Map<string, { rows: number; expiresAt: number }>>()

/** The planner's row estimate for `select 1 <fromWhere>`; `key` names the query and its values. */
async function estimatedRows(db: Database, key: string, fromWhere: () => SQL): Promise<number> {
  let remembered = estimates.get(db)
  if (!remembered) {
    remembered = new Map()
    estimates.set(db, remembered)
  }
  const now = Date.now()
  const known = remembered.get(key)
  if (known && known.expiresAt > now) return known.rows
  const [plan] = await queryRows<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] | string }>(
    db,
    sql`explain (format json) select 1 ${fromWhere()}`,
  )
  const raw = plan?.['QUERY PLAN']
  const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw
  const rows = Math.round(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0)
  if (remembered.size >= MAX_REMEMBERED_ESTIMATES) remembered.clear()
  remembered.set(key, { rows, expiresAt: now + ESTIMATE_TTL_MS })
  return rows
}

/**
 * A list's total: the estimate when the planner expects more than EXACT_COUNT_LIMIT rows, else
 * `exact()` (a count capped at the limit + 1, which callers may run as a prepared query). `key` must
 * identify the query and its values; `fromWhere` (the `from … where …` part) is built only when the
 * estimate is not remembered.
 */
export async function listTotal(
  db: Database,
  list: { key: string; fromWhere: () => SQL; exact: () => Promise<number> },
): Promise<Total> {
  const estimate = await estimatedRows(db, list.key, list.fromWhere)
  if (estimate > EXACT_COUNT_LIMIT) return { count: estimate, isEstimate: true }
  const exact = await list.exact()
  if (exact > EXACT_COUNT_LIMIT) return { count: Math.max(estimate, exact), isEstimate: true }
  return { count: exact, isEstimate: false }
}

/** listTotal for a `from … where …` built by the caller; its text and values are the key. */
export async function countRows(db: Database, fromWhere: SQL): Promise<Total> {
  const { sql: text, params } = dialect.sqlToQuery(fromWhere)
  return listTotal(db, {
    key: `${text}\u0000${JSON.stringify(params)}`,
    fromWhere: () => fromWhere,
    exact: () => cappedCount(db, fromWhere),
  })
}
