// Writing audit rows. Callers pass the transaction of the change, so a change and its audit row
// commit or roll back together.
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import { countRows } from '../../platform/db/count.js'
import type { Database } from '../../platform/db/index.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { users } from '../accounts/tables.js'
import { auditLog } from './tables.js'

/** Who is acting, for audit rows: the user (null for the system) and the request's id. */
export type Actor = { userId: string | null; requestId: string | null }

export type AuditAction = 'create' | 'update' | 'delete' | 'status_change'
export type Changes = Record<string, [unknown, unknown]>

export type AuditEntry = {
  actor: Actor
  businessId: string | null
  action: AuditAction
  entity: 'user' | 'business' | 'membership' | 'session' | 'booking' | 'reservation' | 'settings'
  entityId: string
  changes: Changes
}

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

/** `{ field: [null, value] }` for every field of a new row. */
export function creationChanges(row: Record<string, unknown>): Changes {
  return Object.fromEntries(Object.entries(row).map(([field, value]) => [field, [null, plain(value)]]))
}

/** `{ field: [old, new] }` for the fields whose value differs. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {}
  for (const [field, value] of Object.entries(after)) {
    const old = plain(before[field])
    const next = plain(value)
    if (JSON.stringify(old) !== JSON.stringify(next)) changes[field] = [old, next]
  }
  return changes
}

export async function recordAudit(tx: Database, entry: AuditEntry, at: Date): Promise<void> {
  // An update that changed nothing is not an event.
  if (entry.action === 'update' && Object.keys(entry.changes).length === 0) return
  await tx.insert(auditLog).values({
    businessId: entry.businessId,
    actorId: entry.actor.userId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    changes: entry.changes,
    requestId: entry.actor.requestId,
    at,
  })
}

type ListedEntry = { entry: typeof auditLog.$inferSelect; username: string | null; atText: string }

/** A page of audit entries, newest first; the total is capped like every list's (see countRows). */
export async function listAudit(db: Database, where: SQL | undefined, page: PageRequest) {
  const keyset =
    page.kind === 'cursor' && page.after
      ? sql`(${auditLog.at}, ${auditLog.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
      : undefined
  const rows: ListedEntry[] = await db
    .select({ entry: auditLog, username: users.username, atText: sql<string>`${auditLog.at}::text` })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(where, keyset))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const total = await countRows(db, sql`from ${auditLog} where ${where ?? sql`true`}`)
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.atText, last.entry.id] : null
  return { rows: shown, fetched: rows.length, lastPosition, total }
}

export function auditEntryOut({ entry, username }: ListedEntry) {
  return {
    id: entry.id,
    actor: entry.actorId && username ? { id: entry.actorId, username } : null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    changes: entry.changes,
    request_id: entry.requestId,
    at: entry.at.toISOString(),
  }
}
