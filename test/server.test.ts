import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import { queryRows } from '../src/platform/db/index.js'
import { MIGRATIONS_FOLDER } from '../src/platform/db/migrate.js'
import { shutdown, startServer } from '../src/web-process.js'
import { openTestDatabase, testConfig } from './helpers/app.js'
import { createDatabase, dropDatabase } from './helpers/postgres.js'

const appliedMigrations = sql`select count(*)::int as n from drizzle.__drizzle_migrations`

describe('startServer', () => {
  it('migrates a fresh database and serves', async () => {
    const templateUrl = process.env.DATABASE_URL
    const freshUrl = templateUrl ? await createDatabase(templateUrl, { empty: true }) : undefined
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-boot-'))
    const config = testConfig({ DATABASE_URL: freshUrl, DATA_DIR: dataDir, PORT: '0' })
    const server = await startServer(config)
    try {
      const response = await fetch(`${server.url}/health/ready/`)
      expect(response.status).toBe(200)
      const rows = await queryRows<{ extname: string }>(
        server.app.deps.database.db,
        sql`select extname from pg_extension where extname in ('btree_gist', 'pg_trgm', 'citext') order by 1`,
      )
      expect(rows.map((row) => row.extname)).toEqual(['btree_gist', 'citext', 'pg_trgm'])
      const [applied] = await queryRows<{ n: number }>(server.app.deps.database.db, appliedMigrations)
      expect(applied?.n).toBeGreaterThan(0)
    } finally {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
      if (freshUrl) await dropDatabase(freshUrl)
    }
  })

  it('applies each migration once when two processes migrate at the same time', async () => {
    const database = await openTestDatabase({ empty: true })
    try {
      await Promise.all([database.migrate(), database.migrate(), database.migrate()])
      const [applied] = await queryRows<{ n: number }>(database.db, appliedMigrations)
      expect(applied?.n).toBe(readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length)
    } finally {
      await database.close()
    }
  })
})

describe('graceful shutdown', () => {
  async function slowServer(delayMs: number) {
    const database = await openTestDatabase()
    const app = await buildApp(testConfig({ REDIS_URL: undefined }), { database, redis: null })
    app.get('/api/test/slow/', async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      return { done: true }
    })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    return { app, url, database }
  }

  it('lets an in-flight request finish and refuses new connections', async () => {
    const { app, url, database } = await slowServer(300)
    try {
      const inFlight = fetch(`${url}/api/test/slow/`)
      await new Promise((resolve) => setTimeout(resolve, 50))
      const started = Date.now()
      const stopping = shutdown(app, 5000)
      const response = await inFlight
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ done: true })
      await stopping
      expect(Date.now() - started).toBeLessThan(2000)
      await expect(fetch(`${url}/health/`)).rejects.toThrow()
    } finally {
      await database.close()
    }
  })

  it('closes the database only after the handler of a request its client abandoned', async () => {
    const database = await openTestDatabase()
    const app = await buildApp(testConfig({ REDIS_URL: undefined }), { database, redis: null })
    let started!: () => void
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve
    })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const steps: string[] = []
    app.get('/api/test/abandoned/', async () => {
      started()
      await released
      // The database must still be open here, although the client has gone.
      await queryRows(app.deps.database.db, sql`select 1`)
      steps.push('handler queried')
      return { done: true }
    })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    try {
      const client = new AbortController()
      const request = fetch(`${url}/api/test/abandoned/`, { signal: client.signal }).catch(() => 'aborted')
      await handlerStarted
      client.abort()
      expect(await request).toBe('aborted')
      const stopping = shutdown(app, 5000).then(() => steps.push('app closed'))
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(steps).toEqual([])
      expect(app.inFlight.count).toBe(1)
      release()
      await stopping
      expect(steps).toEqual(['handler queried', 'app closed'])
      expect(app.inFlight.count).toBe(0)
    } finally {
      await database.close()
    }
  })

  it('cuts requests that outlive the shutdown timeout', async () => {
    const { app, url, database } = await slowServer(10_000)
    try {
      const inFlight = fetch(`${url}/api/test/slow/`).then(
        () => 'answered',
        () => 'cut',
      )
      await new Promise((resolve) => setTimeout(resolve, 50))
      const started = Date.now()
      await shutdown(app, 200)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(await inFlight).toBe('cut')
    } finally {
      await database.close()
    }
  })
})
