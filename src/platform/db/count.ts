// List totals that stay cheap at any size: an exact count up to a threshold, the planner's estimate
// above it (lists say which with `total_is_estimate`).
import { type SQL, sql } from 'drizzle-orm'
import { type Database, queryRows } from './index.js'

export const EXACT_COUNT_LIMIT = 10_000

/** `fromWhere` is the `from … where …` part of the list's query. */
export async function countRows(
  db: Database,
  fromWhere: SQL,
): Promise<{ count: number; isEstimate: boolean }> {
  const [exact] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 ${fromWhere} limit ${EXACT_COUNT_LIMIT + 1}) as capped`,
  )
  const count = exact?.n ?? 0
  if (count <= EXACT_COUNT_LIMIT) return { count, isEstimate: false }
  const [plan] = await queryRows<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] | string }>(
    db,
    sql`explain (format json) select 1 ${fromWhere}`,
  )
  const raw = plan?.['QUERY PLAN']
  const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw
  const estimate = Math.round(parsed?.[0]?.Plan?.['Plan Rows'] ?? count)
  return { count: Math.max(estimate, count), isEstimate: true }
}
