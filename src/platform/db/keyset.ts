// Keyset-ordered lists: a page of a query's rows (by page number or after a cursor), its total, and
// the batches of an export. The lists are the busiest authenticated reads, and building a query cost
// more than running it, so each shape of a list (what varies in its SQL text: the scope's kind, the
// filters present, the order, the page kind and size) is built once per database handle and kept
// prepared (preparedShapes, at most MAX_SHAPES of them); values are bound through placeholders, and
// LIMIT is written into the text (literalInteger) so that the generic plan is costed for it.
import { and, asc, desc, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgSelect, SelectedFields } from 'drizzle-orm/pg-core'
import { badRequest } from '../errors.js'
import type { CursorPosition, ListResult, PageRequest } from '../http/pagination.js'
import { cappedCountOf, listTotal } from './count.js'
import type { Database } from './database.js'
import { isDataException } from './errors.js'
import {
  literalInteger,
  type PreparedRows,
  placeholders,
  preparedShapes,
  prepareSql,
  type ValueOf,
  valuesFrom,
} from './prepared.js'

/** A keyset order: by `key` (a value of SQL type `keyType`), then by the uuid `id`. */
export type KeysetOrder = { key: PgColumn; keyType: SQL; id: PgColumn; descending: boolean }

/** One request of a list: the rows of a scope and filters, in an order. */
export type KeysetQuery<Row> = {
  /** What varies in the SQL text besides the filters present and the page (the scope's kind, the order). */
  shape: string
  /**
   * The rows' columns and joins (`db.select({ ...columns, ...extra }).from(...)...$dynamic()`); the
   * list adds the rest, and may add `extra` columns.
   */
  select: (db: Database, value: ValueOf, extra: SelectedFields) => PgSelect
  /** The scope's conditions. */
  where: (value: ValueOf) => SQL
  /** The values of the placeholders that `select` and `where` name. */
  values: Record<string, unknown>
  /** The filters given (undefined: absent), bound under their names. */
  filters: Record<string, unknown>
  /** Each filter's condition on its value. */
  conditions: Record<string, (value: unknown) => SQL>
  /** What the total counts `from`: the table, with only the joins that the conditions need. */
  countFrom: SQL
  order: KeysetOrder
  /** A row's position in the order, for the next page's cursor: its key as text, and its id. */
  position: (row: Row) => CursorPosition
}

/** The query's conditions, its shape and its values, with the filters present. */
function withFilters<Row>(query: KeysetQuery<Row>) {
  const present = Object.keys(query.conditions).filter((name) => query.filters[name] !== undefined)
  return {
    shape: `${query.shape}:${present.join(',')}`,
    where: (value: ValueOf) =>
      and(query.where(value), ...present.map((name) => query.conditions[name]?.(value(name)))) ?? sql`true`,
    values: { ...query.values, ...query.filters },
  }
}

type Position = 'first' | 'offset' | 'after'

/** A row of a page that carries the list's capped count (the same in every row). */
type Counted = { listCount?: number }

/** The rows after (`key`, `id`) in `order`. */
function after(order: KeysetOrder, key: unknown, id: unknown): SQL {
  const row = sql`(${order.key}, ${order.id})`
  const position = sql`(${key}::${order.keyType}, ${id}::uuid)`
  return order.descending ? sql`${row} < ${position}` : sql`${row} > ${position}`
}

const orderBy = (order: KeysetOrder) =>
  order.descending ? [desc(order.key), desc(order.id)] : [asc(order.key), asc(order.id)]

/** A list named `name` (its statements' names start with it). */
export function keysetList<Row>(name: string) {
  const pages = preparedShapes<PreparedRows<Row & Counted>>()
  const counts = preparedShapes<PreparedRows<{ n: number }>>()

  /** Up to `limit` rows from `position`: the first, after `offset` rows, or after a cursor's row. */
  async function rows(
    db: Database,
    query: KeysetQuery<Row>,
    position: Position,
    limit: number,
    page: Record<string, unknown>,
    counted = false,
  ): Promise<(Row & Counted)[]> {
    const { shape, where, values } = withFilters(query)
    const statementKey = `${name}_page:${shape}:${position}:${limit}${counted ? ':counted' : ''}`
    const statement = pages(db, statementKey, (statementName) => {
      const keyset = after(query.order, sql.placeholder('after_key'), sql.placeholder('after_id'))
      const extra: SelectedFields = counted
        ? { listCount: cappedCountOf(sql`from ${query.countFrom} where ${where(placeholders)}`) }
        : {}
      return query
        .select(db, placeholders, extra)
        .where(and(where(placeholders), position === 'after' ? keyset : undefined))
        .orderBy(...orderBy(query.order))
        .limit(literalInteger(limit))
        .offset(position === 'offset' ? sql.placeholder('offset') : 0)
        .prepare(statementName) as unknown as PreparedRows<Row & Counted>
    })
    try {
      return await statement.execute({ ...values, ...page })
    } catch (error) {
      // A cursor whose values are not a key and an id (cursors are signed: a safety net).
      if (position === 'after' && isDataException(error)) throw badRequest('Invalid cursor.')
      throw error
    }
  }

  /** The capped exact count, as a statement of its own. */
  async function exactCount(db: Database, query: KeysetQuery<Row>): Promise<number> {
    const { shape, where, values } = withFilters(query)
    const count = counts(db, `${name}_count:${shape}`, (statementName) =>
      prepareSql<{ n: number }>(
        db,
        statementName,
        sql`select ${cappedCountOf(sql`from ${query.countFrom} where ${where(placeholders)}`)} as n`,
      ),
    )
    const [counted] = await count.execute(values)
    return counted?.n ?? 0
  }

  /**
   * The list's total (see listTotal): the planner's estimate, or a capped exact count. `exact` gives
   * the count; the page passes one that fetches the rows with it.
   */
  function total(db: Database, query: KeysetQuery<Row>, exact: () => Promise<number>) {
    const { shape, where, values } = withFilters(query)
    return listTotal(db, {
      key: `${name}:${shape}:${JSON.stringify(values)}`,
      fromWhere: () => sql`from ${query.countFrom} where ${where(valuesFrom(values))}`,
      exact,
    })
  }

  return {
    /**
     * A page of the list. A cursor page continues a list whose first page gave the total: no count.
     * When the list is small enough to count exactly, the count rides in the page's own statement:
     * one round trip instead of two (a page past the end has no row to carry it, and counts apart).
     */
    async page(db: Database, query: KeysetQuery<Row>, page: PageRequest): Promise<ListResult<Row>> {
      const cursor = page.kind === 'cursor' ? page.after : null
      const offset = page.kind === 'page' ? page.offset : 0
      const position = offset > 0 ? 'offset' : 'first'
      let fetched: (Row & Counted)[] | null = null
      let listTotal: Awaited<ReturnType<typeof total>> | null = null
      if (cursor) {
        fetched = await rows(db, query, 'after', page.limit, { after_key: cursor[0], after_id: cursor[1] })
      } else {
        listTotal = await total(db, query, async () => {
          fetched = await rows(db, query, position, page.limit, { offset }, true)
          return fetched[0]?.listCount ?? (await exactCount(db, query))
        })
        fetched ??= await rows(db, query, position, page.limit, { offset })
      }
      const shown = fetched.slice(0, page.pageSize).map(({ listCount: _count, ...row }) => row as Row)
      const last = shown.at(-1)
      return {
        rows: shown,
        fetched: fetched.length,
        lastPosition: last ? query.position(last) : null,
        total: listTotal,
      }
    },

    /** Up to `limit` rows after `previous` (from the start without one): an export's batches. */
    batch(db: Database, query: KeysetQuery<Row>, previous: Row | null, limit: number): Promise<Row[]> {
      if (!previous) return rows(db, query, 'first', limit, {})
      const [key, id] = query.position(previous)
      return rows(db, query, 'after', limit, { after_key: key, after_id: id })
    },
  }
}
