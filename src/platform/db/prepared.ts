// Every parameterized query runs as a named prepared statement, so PostgreSQL plans each distinct SQL
// text once per connection instead of on every request. Measured on the bench data, planning the
// session detail join took 1.5 ms against 0.2 ms of execution: planning was most of the database's
// work. Queries differ only in their parameters (filters pick among a bounded set of texts), so the
// number of statements per connection stays small; a cap guards against an unbounded variety anyway.
import { createHash } from 'node:crypto'
import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { Database } from './index.js'

/** Distinct statements one connection keeps prepared; texts beyond it run unnamed (planned each time). */
export const MAX_PREPARED_PER_CONNECTION = 256

const names = new Map<string, string>()
const MAX_REMEMBERED_NAMES = 4096

/** A stable statement name for a SQL text (PostgreSQL names are at most 63 bytes). */
export function statementName(text: string): string {
  let name = names.get(text)
  if (name) return name
  name = `t_${createHash('sha1').update(text).digest('hex')}`
  if (names.size >= MAX_REMEMBERED_NAMES) names.clear()
  names.set(text, name)
  return name
}

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown; submit?: unknown }

/**
 * A node-postgres client that names parameterized queries. Queries without parameters (BEGIN, COMMIT,
 * migrations that hold several statements) stay on the simple protocol.
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
      params.length > 0
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

/**
 * Drizzle queries built once per database handle and shape, and kept prepared. Building a query
 * (walking its columns and SQL chunks) cost more of the server's CPU than anything else on the hot
 * reads; a prepared query is built on first use and afterwards only binds its placeholders
 * (`sql.placeholder(name)`). A shape names what varies in the SQL text itself, such as which filters
 * are present; values always go through placeholders. Only for queries on the handle itself: a
 * transaction's queries are built on that transaction.
 */
export function preparedShapes<Query>(): (db: Database, shape: string, build: () => Query) => Query {
  const byDatabase = new WeakMap<Database, Map<string, Query>>()
  return (db, shape, build) => {
    let shapes = byDatabase.get(db)
    if (!shapes) {
      shapes = new Map()
      byDatabase.set(db, shapes)
    }
    let query = shapes.get(shape)
    if (!query) {
      query = build()
      shapes.set(shape, query)
    }
    return query
  }
}

/** A prepared query with a single shape (see preparedShapes). */
export function preparedOn<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const shapes = preparedShapes<Query>()
  return (db) => shapes(db, '', () => build(db))
}

const dialect = new PgDialect({ casing: 'snake_case' })

/**
 * A hand-written statement (placeholders for its values), prepared per database handle. Rows come back
 * as the driver returns them: columns by their SQL names, timestamps as text.
 */
export function preparedStatement<Row>(name: string, statement: SQL) {
  const query = dialect.sqlToQuery(statement)
  return preparedOn((db) => {
    const prepared = db._.session.prepareQuery(query, undefined, name, false)
    return {
      async execute(values: Record<string, unknown>): Promise<Row[]> {
        const result = (await prepared.execute(values)) as { rows: Row[] }
        return result.rows
      },
    }
  })
}
