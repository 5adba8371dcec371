// PostgreSQL dropping a connection in the middle of a transaction (a restart, a crash, an admin's
// pg_terminate_backend): the transaction fails, the process lives on, and the pool serves the next
// query on a new connection. Without a listener on checked-out clients, node-postgres would end the
// process with an unhandled 'error' event.
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openPostgres, queryRows } from '../../src/platform/db/index.js'
import { createDatabase, dropDatabase } from '../helpers/postgres.js'

const enabled = Boolean(process.env.DATABASE_URL)

describe.skipIf(!enabled)('a connection lost between two statements of a transaction', () => {
  let url: string
  let database: DatabaseHandle
  const reported: Error[] = []

  beforeAll(async () => {
    url = await createDatabase(process.env.DATABASE_URL as string, { empty: true })
    database = openPostgres(url, 2, (error) => reported.push(error))
  })
  afterAll(async () => {
    await database?.close()
    if (url) await dropDatabase(url)
  })

  it('fails that transaction, reports the loss, and the next query works', async () => {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const transaction = database.db.transaction(async (tx) => {
        const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`)
        await admin.query('select pg_terminate_backend($1)', [row?.pid])
        // The loss arrives while no statement of this transaction runs.
        await sleep(200)
        await tx.execute(sql`select 1`)
      })
      await expect(transaction).rejects.toThrow()
    } finally {
      await admin.end()
    }
    expect(reported.length).toBeGreaterThan(0)
    expect(await queryRows(database.db, sql`select 1 as one`)).toEqual([{ one: 1 }])
  })
})
