// List totals that stay cheap at any size: an exact count up to a threshold, the planner's estimate
// above it (lists say which with `total_is_estimate`).
import { type SQL, sql } from 'drizzle-orm'
import { type Database, queryRows } from './index.js'

export const EXACT_COUNT_LIMIT = 10_000

export type Total = { count: number; isEstimate: boolean }

/** The exact count of a list's rows, capped just above EXACT_COUNT_LIMIT. */
export async function cappedCount(db: Database, fromWhere: SQL): Promise<number> {
  const [exact] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 ${fromWhere} limit ${EXACT_COUNT_LIMIT + 1}) as capped`,
  )
  return exact?.n ?? 0
}

/**
 * The list's total from its capped exact count; above the limit, the planner's estimate for
 * `fromWhere()` (built only then, so callers with prepared counts build nothing in the common case).
 */
export async function totalFrom(db: Database, exact: number, fromWhere: () => SQL): Promise<Total> {
  if (exact <= EXACT_COUNT_LIMIT) return { count: exact, isEstimate: false }
  const [plan] = await queryRows<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] | string }>(
    db,
    sql`explain (format json) select 1 ${fromWhere()}`,
  )
  const raw = plan?.['QUERY PLAN']
  const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw
  const estimate = Math.round(parsed?.[0]?.Plan?.['Plan Rows'] ?? exact)
  return { count: Math.max(estimate, exact), isEstimate: true }
}

/** `fromWhere` is the `from … where …` part of the list's query. */
export async function countRows(db: Database, fromWhere: SQL): Promise<Total> {
  return totalFrom(db, await cappedCount(db, fromWhere), () => fromWhere)
}
