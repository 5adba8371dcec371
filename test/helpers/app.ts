// Builds the real app for a test file, on its own database: a copy of the migrated template on
// PostgreSQL, or a PGlite instance loaded from the migrated snapshot.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, inject } from 'vitest'
import { type App, type AppDeps, buildApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/platform/config.js'
import { type DatabaseHandle, openPglite, openPostgres } from '../../src/platform/db/index.js'
import { openRedis, type Redis } from '../../src/platform/redis.js'
import { createDatabase, dropDatabase } from './postgres.js'

export const usesPostgres = Boolean(process.env.DATABASE_URL)

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    // Throttles would trip over the many requests a test file makes from one address; the throttle
    // tests turn them on.
    THROTTLE_AUTH: 'off',
    THROTTLE_ANON: 'off',
    THROTTLE_USER: 'off',
    // Emails written as files (no EMAIL_HOST) go to the run's temporary directory.
    DATA_DIR: inject('testDataDir'),
    // The minute schedule would move bookings under a test's feet; the scheduler tests run it directly.
    SCHEDULER: 'false',
    // Apps on one Redis each get a queue of their own.
    QUEUE_NAME: `test-${randomUUID()}`,
    ...overrides,
  })
}

/** A migrated database of this test file's own; closing it also drops it on PostgreSQL. */
export async function openTestDatabase({ empty = false } = {}): Promise<DatabaseHandle> {
  const templateUrl = process.env.DATABASE_URL
  if (templateUrl) {
    const url = await createDatabase(templateUrl, { empty })
    const handle = openPostgres(url, 10)
    return {
      ...handle,
      async close() {
        await handle.close()
        await dropDatabase(url)
      },
    }
  }
  if (empty) return openPglite()
  return openPglite(undefined, new Blob([readFileSync(inject('pgliteSnapshot'))]))
}

/** Redis with a key prefix of this app's own, so parallel test files never share counters or sessions. */
export function openTestRedis(config: Config): Redis | null {
  if (!config.redisUrl) return null
  return openRedis(config.redisUrl, { warn: () => {}, info: () => {} }, `test:${randomUUID()}:`)
}

type TestAppOptions = {
  config?: Record<string, string | undefined>
  /** Dependencies to use instead of the defaults (a ManualClock, a counting hasher, ...). */
  deps?: Partial<AppDeps>
  /** Runs before `ready()`: the place to add test-only routes. */
  setup?: (app: App) => void | Promise<void>
}

/** One app per test file, built in beforeAll and closed in afterAll. */
export function useTestApp(options: TestAppOptions = {}) {
  let app: App | undefined
  let database: DatabaseHandle | undefined
  let redis: Redis | null = null
  beforeAll(async () => {
    const config = testConfig(options.config)
    database = await openTestDatabase()
    redis = openTestRedis(config)
    app = await buildApp(config, { database, redis, webBuildDir: null, ...options.deps })
    await options.setup?.(app)
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    redis?.disconnect()
    await database?.close()
  })
  return {
    get app(): App {
      if (!app) throw new Error('the test app is built in beforeAll')
      return app
    },
  }
}
