// Writing audit rows. Callers pass the transaction of the change, so a change and its audit row
// commit or roll back together.
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { jsonbObject, literal } from '../../platform/db/literals.js'
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

/** An audit row's values by column: parameters for one entry, or expressions over a statement's rows. */
type AuditValues = Record<
  'businessId' | 'actorId' | 'action' | 'entity' | 'entityId' | 'changes' | 'requestId' | 'at',
  unknown
>

/**
 * The one insert of audit rows. recordAudit runs it for one entry; a single-statement write (a
 * booking, a reservation) runs it in a CTE, one audit row per row of `from` (the name of the CTE
 * holding the written rows), with values that are expressions over those rows.
 */
function auditInsert(values: AuditValues, from?: string): SQL {
  return sql`insert into ${auditLog} (business_id, actor_id, action, entity, entity_id, changes, request_id, at)
    select ${values.businessId}, ${values.actorId}, ${values.action}, ${values.entity}, ${values.entityId},
      ${values.changes}, ${values.requestId}, ${values.at}
    ${from ? sql`from ${sql.identifier(from)}` : sql``}`
}

/**
 * auditInsert for the rows a statement created, as creationChanges records a new row: one `create`
 * row of `entity` per row of `from` (which has the columns `business_id` and `id`), with
 * `{ field: [null, value] }` for each of `fields`, SQL values over those rows.
 */
export function auditCreatedFrom(
  from: string,
  entity: AuditEntry['entity'],
  fields: Record<string, SQL>,
  actor: { userId: unknown; requestId: unknown },
  at: unknown,
): SQL {
  const changes = Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [field, sql`jsonb_build_array(null, ${value})`]),
  )
  return auditInsert(
    {
      businessId: sql`business_id`,
      actorId: actor.userId,
      action: literal('create'),
      entity: literal(entity),
      entityId: sql`id::text`,
      changes: jsonbObject(changes),
      requestId: actor.requestId,
      at,
    },
    from,
  )
}

export async function recordAudit(tx: Database, entry: AuditEntry, at: Date): Promise<void> {
  // An update that changed nothing is not an event.
  if (entry.action === 'update' && Object.keys(entry.changes).length === 0) return
  await tx.execute(
    auditInsert({
      businessId: entry.businessId,
      actorId: entry.actor.userId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      changes: sql`${JSON.stringify(entry.changes)}::jsonb`,
      requestId: entry.actor.requestId,
      at,
    }),
  )
}
