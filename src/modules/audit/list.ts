// Reading the audit trail (GET /api/audit-log/): who may read whose entries, the filters, and a page of
// entries, newest first. Writing them is service.ts's.
import { and, desc, eq, sql } from 'drizzle-orm'
import { dateBound } from '../../platform/dates.js'
import { countRows } from '../../platform/db/count.js'
import type { Database } from '../../platform/db/index.js'
import {
  type CursorCodec,
  type CursorPosition,
  type PageRequest,
  type PaginationQuery,
  readPageRequest,
} from '../../platform/http/pagination.js'
import { ownedBy } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { businessOrPlatform, type Caller } from '../businesses/access.js'
import { auditLog } from './tables.js'

export type AuditQuery = PaginationQuery & {
  entity?: string
  entity_id?: string
  actor?: string
  date_from?: string
  date_to?: string
}

type ListedEntry = { entry: typeof auditLog.$inferSelect; username: string | null; atText: string }

/** The entries matching the query's filters, in one business or (null) in all. */
function filtersOf(query: AuditQuery, businessId: string | null) {
  return and(
    businessId ? ownedBy(auditLog, businessId) : undefined,
    query.entity ? eq(auditLog.entity, query.entity) : undefined,
    query.entity_id ? eq(auditLog.entityId, query.entity_id) : undefined,
    query.actor ? eq(auditLog.actorId, query.actor) : undefined,
    query.date_from ? sql`${auditLog.at} >= ${dateBound('date_from', query.date_from, false)}` : undefined,
    query.date_to ? sql`${auditLog.at} < ${dateBound('date_to', query.date_to, true)}` : undefined,
  )
}

/**
 * A page of the audit entries the caller may read: their business's for its owners and admins, every
 * business's for a platform admin without X-Business-ID. The total is capped like every list's (see
 * countRows). The filters and the page are read after the access check: a caller who may not read the
 * log gets its 403 or 404 before any complaint about a date or a cursor.
 */
export async function listAuditLog(db: Database, caller: Caller, query: AuditQuery, cursors: CursorCodec) {
  const businessId = await businessOrPlatform(db, caller, 'audit.read')
  const where = filtersOf(query, businessId)
  const page: PageRequest = readPageRequest(query, cursors)
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
  return { page, result: { rows: shown, fetched: rows.length, lastPosition, total } }
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
