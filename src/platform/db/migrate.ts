// Migrations are the committed drizzle-kit SQL files. They run on one connection holding an advisory
// lock, so processes starting together apply each migration once.
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import type { Database } from './database.js'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url))

// An arbitrary constant shared by every Tessera process: the advisory lock's key.
const MIGRATION_LOCK_KEY = 7_311_202_604

// Advisory locks are re-entrant within one session, so callers sharing a connection (PGlite has only
// one) are queued in process as well.
let queue: Promise<unknown> = Promise.resolve()

/** Runs `apply` while holding the migration lock on `db`'s (single) connection. */
export function withMigrationLock(db: Database, apply: () => Promise<void>): Promise<void> {
  const run = async () => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`)
    try {
      await apply()
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`)
    }
  }
  const result = queue.then(run, run)
  queue = result.catch(() => {})
  return result
}
