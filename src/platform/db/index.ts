// One `db` handle over two drivers: embedded PGlite (no DATABASE_URL) or node-postgres with a pool.
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { citext } from '@electric-sql/pglite/contrib/citext'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { type SQL, sql } from 'drizzle-orm'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { Config } from '../config.js'
import { lockDataDir } from './data-dir-lock.js'
import type { Database } from './database.js'
import { MIGRATIONS_FOLDER, withMigrationLock } from './migrate.js'
import { MeasuredPool, type PoolStats } from './pool.js'
import { PreparingClient } from './prepared.js'
import { requestScoped } from './request-transaction.js'
import * as schema from './schema.js'

export type { Database, PoolStats }

export interface DatabaseHandle {
  /** Every module's handle: inside a request transaction, that transaction (request-transaction.ts). */
  readonly db: Database
  /** The database itself, whatever request is running: for opening a request transaction. */
  readonly root: Database
  readonly driver: 'pglite' | 'postgres'
  /** Applies pending migrations under a lock, so two starting processes do not race. */
  migrate(): Promise<void>
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>
  /** The connection pool's use (node-postgres only: PGlite is one in-process connection). */
  poolStats?(): PoolStats
  close(): Promise<void>
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<Row>(db: Pick<Database, 'execute'>, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] }
  return result.rows
}

export const PGLITE_EXTENSIONS = { btree_gist, pg_trgm, citext }

/** node-postgres, pooled. Connecting is lazy: an unreachable server fails queries, not this call. */
export function openPostgres(
  url: string,
  poolSize: number,
  onPoolError?: (error: Error) => void,
): DatabaseHandle {
  const pool = new MeasuredPool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    Client: PreparingClient,
  })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => onPoolError?.(error))
  // Nor may a checked-out one: between two statements of a transaction nothing is listening, and the
  // client, not the pool, reports the loss. The transaction's next statement fails, and the client is
  // thrown away when it is released with that error.
  pool.on('connect', (client) => client.on('error', (error) => onPoolError?.(error)))
  const root = drizzleNodePg(pool, { schema, casing: 'snake_case' }) as unknown as Database
  return {
    db: requestScoped(root),
    root,
    driver: 'postgres',
    async migrate() {
      const client = await pool.connect()
      try {
        const session = drizzleNodePg(client, { casing: 'snake_case' })
        await withMigrationLock(session as unknown as Database, () =>
          migrateNodePg(session, { migrationsFolder: MIGRATIONS_FOLDER }),
        )
      } finally {
        client.release()
      }
    },
    async ping() {
      await pool.query('select 1')
    },
    poolStats: () => pool.stats(),
    close: () => pool.end(),
  }
}

/** Embedded PostgreSQL. With a directory, files persist there (and the directory is locked); without, in memory. */
export async function openPglite(
  dataDir?: string,
  loadDataDir?: Blob,
): Promise<DatabaseHandle & { pglite: PGlite }> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {}
  let client: PGlite
  try {
    client = await PGlite.create({
      ...(dataDir ? { dataDir: join(dataDir, 'pglite') } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: PGLITE_EXTENSIONS,
    })
  } catch (error) {
    unlock()
    throw error
  }
  const pgliteDb = drizzlePglite(client, { schema, casing: 'snake_case' })
  const root = pgliteDb as unknown as Database
  const db = requestScoped(root)
  return {
    db,
    root,
    driver: 'pglite',
    pglite: client,
    migrate: () =>
      withMigrationLock(db, () => migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_FOLDER })),
    async ping() {
      await db.execute(sql`select 1`)
    },
    async close() {
      await client.close()
      unlock()
    },
  }
}

export function openDatabase(config: Config, onPoolError?: (error: Error) => void): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? Promise.resolve(openPostgres(config.databaseUrl, config.databasePoolSize, onPoolError))
    : openPglite(config.dataDir)
}
