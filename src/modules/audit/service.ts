// Writing audit rows. Callers pass the transaction of the change, so a change and its audit row
// commit or roll back together.
import type { Database } from '../../platform/db/index.js'
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
