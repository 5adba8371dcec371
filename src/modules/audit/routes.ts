// GET /api/audit-log/: who did what, for owners and admins of a business (platform admins: all).
import { Type } from '@sinclair/typebox'
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { App } from '../../app.js'
import { dateBound } from '../../platform/dates.js'
import type { Database } from '../../platform/db/index.js'
import { permissionDenied } from '../../platform/errors.js'
import { ListEnvelope } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, isPlatformAdmin, requireUser } from '../../platform/http/guards.js'
import {
  type PageRequest,
  pageMeta,
  paginationQuery,
  readPageRequest,
} from '../../platform/http/pagination.js'
import { users } from '../accounts/tables.js'
import { ensure } from '../businesses/policy.js'
import { resolveBusiness } from '../businesses/tenancy.js'
import { auditLog } from './tables.js'

const AuditEntrySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    actor: Type.Union([Type.Object({ id: Type.String(), username: Type.String() }), Type.Null()]),
    action: Type.Union(['create', 'update', 'delete', 'status_change'].map((action) => Type.Literal(action))),
    entity: Type.String(),
    entity_id: Type.String(),
    changes: Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 2, maxItems: 2 })),
    request_id: Type.Union([Type.String(), Type.Null()]),
    at: Type.String({ format: 'date-time' }),
  },
  { $id: 'AuditEntry' },
)

const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ maxLength: 40 })),
  entity_id: Type.Optional(Type.String({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ format: 'uuid' })),
  date_from: Type.Optional(Type.String({ maxLength: 40 })),
  date_to: Type.Optional(Type.String({ maxLength: 40 })),
  ...paginationQuery,
})

async function listAudit(db: Database, where: SQL | undefined, page: PageRequest) {
  const keyset =
    page.kind === 'cursor' && page.after
      ? sql`(${auditLog.at}, ${auditLog.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
      : undefined
  const rows = await db
    .select({ entry: auditLog, username: users.username, atText: sql<string>`${auditLog.at}::text` })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(where, keyset))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where)
  return { rows, total: total?.n ?? 0 }
}

export async function auditRoutes(app: App) {
  const db = app.deps.database.db
  app.get(
    '/api/audit-log/',
    {
      onRequest: authenticated,
      schema: {
        tags: ['audit'],
        security: callerSecurity,
        querystring: AuditQuery,
        response: { 200: ListEnvelope(AuditEntrySchema) },
      },
    },
    async (request) => {
      const user = requireUser(request)
      // A platform admin without X-Business-ID reads every business's entries.
      const context =
        isPlatformAdmin(user) && !request.headers['x-business-id']
          ? null
          : await resolveBusiness(db, request, user)
      if (context) ensure(context, 'audit.read')
      else if (!isPlatformAdmin(user)) throw permissionDenied()
      const query = request.query
      const where = and(
        context ? eq(auditLog.businessId, context.businessId) : undefined,
        query.entity ? eq(auditLog.entity, query.entity) : undefined,
        query.entity_id ? eq(auditLog.entityId, query.entity_id) : undefined,
        query.actor ? eq(auditLog.actorId, query.actor) : undefined,
        query.date_from
          ? sql`${auditLog.at} >= ${dateBound('date_from', query.date_from, false)}`
          : undefined,
        query.date_to ? sql`${auditLog.at} < ${dateBound('date_to', query.date_to, true)}` : undefined,
      )
      const page = readPageRequest(query)
      const { rows, total } = await listAudit(db, where, page)
      const visible = rows.slice(0, page.pageSize)
      const last = visible.at(-1)
      return {
        data: visible.map(({ entry, username }) => ({
          id: entry.id,
          actor: entry.actorId && username ? { id: entry.actorId, username } : null,
          action: entry.action,
          entity: entry.entity,
          entity_id: entry.entityId,
          changes: entry.changes,
          request_id: entry.requestId,
          at: entry.at.toISOString(),
        })),
        meta: {
          pagination: pageMeta({
            url: `${request.protocol}://${request.host}${request.url}`,
            request: page,
            fetched: rows.length,
            lastPosition: last ? [last.atText, last.entry.id] : null,
            total: { count: total, isEstimate: false },
          }),
        },
      }
    },
  )
}
