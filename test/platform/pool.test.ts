// The node-postgres pool's use, as /metrics reports it: a checkout that found every connection busy is
// counted with its wait, one that did not is not.
import { describe, expect, it } from 'vitest'
import { openPostgres } from '../../src/platform/db/index.js'
import { usesPostgres } from '../helpers/app.js'
import { createDatabase, dropDatabase } from '../helpers/postgres.js'

describe.skipIf(!usesPostgres)('the connection pool', () => {
  it('counts the checkouts that waited for a connection, and how long', async () => {
    // A copy of its own: a connection to the template would hold up other files copying it.
    const url = await createDatabase(process.env.DATABASE_URL as string, { empty: true })
    const database = openPostgres(url, 1)
    const stats = () => database.poolStats?.()
    try {
      await database.ping()
      expect(stats()).toEqual({ total: 1, idle: 1, waiting: 0, waits: 0, waitSeconds: 0 })
      const held = database.db.transaction(() => new Promise((resolve) => setTimeout(resolve, 100)))
      await new Promise((resolve) => setTimeout(resolve, 20))
      const waiting = database.ping()
      expect(stats()).toMatchObject({ total: 1, idle: 0, waiting: 1 })
      await Promise.all([held, waiting])
      const after = stats()
      expect(after).toMatchObject({ total: 1, idle: 1, waiting: 0, waits: 1 })
      expect(after?.waitSeconds).toBeGreaterThan(0.03)
    } finally {
      await database.close()
      await dropDatabase(url)
    }
  })
})
