// Every parameterized query runs as a named prepared statement, so PostgreSQL plans each distinct SQL
// text once per connection instead of on every request. Measured on the bench data, planning the
// session detail join took 1.5 ms against 0.2 ms of execution: planning was most of the database's
// work. Queries differ only in their parameters (filters pick among a bounded set of texts), so the
// number of statements per connection stays small; a cap guards against an unbounded variety anyway.
import { createHash } from 'node:crypto'
import { type SQL, sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { Database } from './database.js'
import { inRequestTransaction } from './request-transaction.js'

/** Distinct statements one connection keeps prepared; texts beyond it run unnamed (planned each time). */
export const MAX_PREPARED_PER_CONNECTION = 256

const names = new Map<string, string>()
const MAX_REMEMBERED_NAMES = 4096

/**
 * A stable statement name for a SQL text or a query's shape. PostgreSQL keys prepared statements by
 * their first 63 bytes, so longer names that share a prefix would collide: names are hashed.
 */
export function statementName(text: string): string {
  let name = names.get(text)
  if (name) return name
  name = `t_${createHash('sha1').update(text).digest('hex')}`
  if (names.size >= MAX_REMEMBERED_NAMES) names.clear()
  names.set(text, name)
  return name
}

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown; submit?: unknown }

// A pattern's selectivity decides the plan (a trigram index for a rare substring, a sequential or
// ordered scan for a common one), and a generic plan, which PostgreSQL may settle on after five
// executions of a named statement, cannot know it: such queries stay unnamed and planned each time.
const PATTERN_MATCH = /\b(i?like|similar to)\b|~/i

/**
 * A node-postgres client that names parameterized queries. Queries without parameters (BEGIN, COMMIT,
 * migrations that hold several statements) stay on the simple protocol, and pattern matches unnamed.
 */
export class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>()

  // node-postgres's query() has many overloads; this only rewrites its first argument.
  override query(...args: unknown[]): never {
    const [config, values] = args as [QueryConfig | string, unknown[] | undefined]
    const params = typeof config === 'object' && config !== null ? (config.values ?? values) : values
    if (
      typeof config === 'object' &&
      config !== null &&
      typeof config.text === 'string' &&
      config.name === undefined &&
      config.submit === undefined &&
      Array.isArray(params) &&
      params.length > 0 &&
      !PATTERN_MATCH.test(config.text)
    ) {
      const name = statementName(config.text)
      if (this.#prepared.has(name) || this.#prepared.size < MAX_PREPARED_PER_CONNECTION) {
        this.#prepared.add(name)
        args[0] = { ...config, name }
      }
    }
    return (super.query as (...rest: unknown[]) => never)(...args)
  }
}

/** Shapes one preparedShapes keeps per database handle; beyond it, queries are built each time. */
export const MAX_SHAPES = 200

/**
 * Drizzle queries built once per database handle and shape, and kept prepared. Building a query
 * (walking its columns and SQL chunks) cost more of the server's CPU than anything else on the hot
 * reads; a prepared query is built on first use and afterwards only binds its placeholders
 * (`sql.placeholder(name)`). A shape names what varies in the SQL text itself, such as which filters
 * are present; values go through placeholders. `build` gets the statement name to prepare under, or
 * '' for an unnamed statement that PostgreSQL plans for its values on every execution: what a query
 * needs when its best plan depends on a value (see `plannedEachTime`), and what queries beyond
 * MAX_SHAPES get. Only for queries on the handle itself: a transaction's queries belong to it.
 */
export function preparedShapes<Query>(): (
  db: Database,
  shape: string,
  build: (name: string) => Query,
  options?: { plannedEachTime?: boolean },
) => Query {
  const byDatabase = new WeakMap<Database, Map<string, Query>>()
  return (db, shape, build, options) => {
    // Built on a request's transaction, a query belongs to it: kept, it would outlive it.
    if (options?.plannedEachTime || inRequestTransaction()) return build('')
    let shapes = byDatabase.get(db)
    if (!shapes) {
      shapes = new Map()
      byDatabase.set(db, shapes)
    }
    let query = shapes.get(shape)
    if (!query) {
      if (shapes.size >= MAX_SHAPES) return build('')
      query = build(statementName(shape))
      shapes.set(shape, query)
    }
    return query
  }
}

/** A prepared query with a single shape, `shape` (see preparedShapes). */
export function preparedOn<Query>(
  shape: string,
  build: (db: Database, name: string) => Query,
): (db: Database) => Query {
  const shapes = preparedShapes<Query>()
  return (db) => shapes(db, shape, (name) => build(db, name))
}

/**
 * An integer written into the SQL text instead of bound. A LIMIT bound as a parameter makes
 * PostgreSQL cost a prepared statement's generic plan for an unknown (large) limit, so it never
 * chooses it and plans every execution again; page sizes are few, so each gets its own statement.
 * Typed as a number for drizzle's `.limit()`, which writes an SQL object into the text as it is.
 */
export function literalInteger(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${value}`)
  return sql.raw(String(value)) as unknown as number
}

/** The SQL dialect of both drivers, for building query text outside a database handle. */
export const dialect = new PgDialect({ casing: 'snake_case' })

/** A prepared hand-written statement: execute() binds its placeholders and answers its rows. */
export type PreparedRows<Row> = { execute(values: Record<string, unknown>): Promise<Row[]> }

/**
 * A hand-written statement prepared on `db` under `name` ('' for an unnamed one). Rows come back as
 * the driver returns them: columns by their SQL names, timestamps as text.
 */
export function prepareSql<Row>(db: Database, name: string, statement: SQL): PreparedRows<Row> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, name, false)
  return {
    async execute(values) {
      const result = (await prepared.execute(values)) as { rows: Row[] }
      return result.rows
    },
  }
}

/** A hand-written statement (placeholders for its values), prepared per database handle. */
export function preparedStatement<Row>(name: string, statement: SQL): (db: Database) => PreparedRows<Row> {
  return preparedOn(name, (db, statementName) => prepareSql<Row>(db, statementName, statement))
}

/**
 * How a query-building function refers to a value: as a placeholder of that name (for a prepared
 * query, which binds values at execution) or as the value itself (for a query built and run once).
 */
export type ValueOf = (name: string) => unknown
export const placeholders: ValueOf = (name) => sql.placeholder(name)
export const valuesFrom =
  (values: Record<string, unknown>): ValueOf =>
  (name) =>
    values[name]
