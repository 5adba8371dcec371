// Deleting rows that are no longer needed, a bounded batch per statement: a large backlog never turns
// into one long transaction holding locks.
import { type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Database } from './index.js'

const BATCH = 1000

/** Deletes the rows of `table` matching `where`, in batches by `key`; answers how many. */
export async function deleteInBatches(
  db: Database,
  table: PgTable,
  key: PgColumn,
  where: SQL | undefined,
): Promise<number> {
  let deleted = 0
  for (;;) {
    const removed = await db
      .delete(table)
      .where(sql`${key} in (select ${key} from ${table} where ${where} limit ${sql.raw(String(BATCH))})`)
      .returning({ key })
    deleted += removed.length
    if (removed.length < BATCH) return deleted
  }
}
