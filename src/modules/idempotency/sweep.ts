// Kept answers of Idempotency-Key go once their 24 hours are over, a bounded batch per statement (a
// row is named by caller, method, path and key together, so batches pick rows by ctid).
import { sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { queryRows } from '../../platform/db/index.js'
import { idempotencyKeys } from './tables.js'

const BATCH = 1000

export async function sweepExpiredIdempotencyKeys(db: Database, now: Date): Promise<number> {
  let deleted = 0
  for (;;) {
    const removed = await queryRows<{ n: number }>(
      db,
      sql`with gone as (
        delete from ${idempotencyKeys} where ctid in (
          select ctid from ${idempotencyKeys} where ${idempotencyKeys.expiresAt} <= ${now} limit ${sql.raw(String(BATCH))})
        returning 1)
      select count(*)::int as n from gone`,
    )
    const count = removed[0]?.n ?? 0
    deleted += count
    if (count < BATCH) return deleted
  }
}
