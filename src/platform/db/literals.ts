// Constants written into a statement's text as quoted literals (drizzle quotes and escapes them)
// rather than bound as parameters: in a prepared statement's generic plan, a partial index's predicate
// (`status in ('pending', 'confirmed')`) is proven from literals only, and a constant needs no
// parameter of its own.
import { type SQL, sql } from 'drizzle-orm'

/** One constant as a literal: `'booking'`. */
export const literal = (value: string): SQL => sql`${value}`.inlineParams()

/** Constants as a parenthesized list of literals, for `in`: `('pending', 'confirmed')`. */
export const literalList = (values: readonly [string, ...string[]]): SQL => sql`${[...values]}`.inlineParams()

/** `jsonb_build_object(...)` of SQL values under constant keys. */
export function jsonbObject(fields: Record<string, SQL>): SQL {
  const pairs = Object.entries(fields).map(([key, value]) => sql`${literal(key)}, ${value}`)
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`
}
