// How far behind email is: unsent outbox rows, for readiness and the jobs overview.
import { sql } from 'drizzle-orm'
import { type Database, queryRows } from '../../platform/db/index.js'

export type OutboxBacklog = { unsent: number; failing: number; oldest_unsent_at: string | null }

export async function outboxBacklog(db: Database): Promise<OutboxBacklog> {
  const [row] = await queryRows<{ unsent: number; failing: number; oldest: Date | string | null }>(
    db,
    sql`select count(*)::int as unsent, count(*) filter (where attempts > 0)::int as failing,
          min(created_at) as oldest
        from outbox where sent_at is null`,
  )
  const oldest = row?.oldest ? new Date(row.oldest).toISOString() : null
  return { unsent: row?.unsent ?? 0, failing: row?.failing ?? 0, oldest_unsent_at: oldest }
}
