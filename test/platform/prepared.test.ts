import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openPostgres, queryRows } from '../../src/platform/db/index.js'
import { MAX_PREPARED_PER_CONNECTION, statementName } from '../../src/platform/db/prepared.js'
import { createDatabase, dropDatabase } from '../helpers/postgres.js'

describe('statementName', () => {
  it('is stable per SQL text, distinct between texts, and a valid PostgreSQL name', () => {
    const name = statementName('select $1::int')
    expect(statementName('select $1::int')).toBe(name)
    expect(statementName('select $1::text')).not.toBe(name)
    expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/)
  })
})

const templateUrl = process.env.DATABASE_URL

// Named statements are a node-postgres matter; PGlite has one in-process connection and no pool.
describe.runIf(templateUrl)('the node-postgres pool', () => {
  let url: string
  let database: DatabaseHandle
  beforeAll(async () => {
    url = await createDatabase(templateUrl as string, { empty: true })
    // One connection, so every query below runs where pg_prepared_statements can see it.
    database = openPostgres(url, 1)
  })
  afterAll(async () => {
    await database.close()
    await dropDatabase(url)
  })

  const prepared = async () =>
    (
      await queryRows<{ name: string; statement: string }>(
        database.db,
        sql`select name, statement from pg_prepared_statements where name like 't\\_%'`,
      )
    ).map((row) => row.name)

  it('prepares each parameterized text once and reuses it', async () => {
    const query = (n: number) => queryRows<{ n: number }>(database.db, sql`select ${n}::int + 1 as n`)
    expect((await query(1))[0]?.n).toBe(2)
    expect((await query(41))[0]?.n).toBe(42)
    const names = await prepared()
    expect(names).toContain(statementName('select $1::int + 1 as n'))
    expect(names.filter((name) => name === statementName('select $1::int + 1 as n'))).toHaveLength(1)
  })

  it('keeps queries without parameters unnamed', async () => {
    await queryRows(database.db, sql`select 'no parameters' as text`)
    const texts = await queryRows<{ statement: string }>(
      database.db,
      sql`select statement from pg_prepared_statements`,
    )
    expect(texts.map((row) => row.statement)).not.toContain(`select 'no parameters' as text`)
  })

  it('keeps pattern matches unnamed: their plan depends on the pattern', async () => {
    await queryRows(database.db, sql`select ${'abc'}::text ilike ${'%b%'} as hit`)
    expect(await prepared()).not.toContain(statementName('select $1::text ilike $2 as hit'))
  })

  it('stops naming new texts at the cap, and those still run', async () => {
    const distinct = MAX_PREPARED_PER_CONNECTION + 10
    for (let i = 0; i < distinct; i++) {
      const [row] = await queryRows<{ n: number }>(
        database.db,
        sql`select ${sql.raw(String(i))} + ${1}::int as n`,
      )
      expect(row?.n).toBe(i + 1)
    }
    expect((await prepared()).length).toBe(MAX_PREPARED_PER_CONNECTION)
  })
})
