// GET /api/audit-log/: who did what, for owners and admins of a business (platform admins: all).
import { Type } from '@sinclair/typebox'
import { and, eq, sql } from 'drizzle-orm'
import type { App } from '../../app-types.js'
import { dateBound } from '../../platform/dates.js'
import { permissionDenied } from '../../platform/errors.js'
import { ListEnvelope } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, isPlatformAdmin, requireUser } from '../../platform/http/guards.js'
import { DayOrInstant, Text } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'

import { businessContext, callerOf, requirePower } from '../businesses/access.js'
import { auditEntryOut, listAudit } from './service.js'
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
  entity: Type.Optional(Text({ maxLength: 40 })),
  entity_id: Type.Optional(Text({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ format: 'uuid' })),
  date_from: Type.Optional(DayOrInstant()),
  date_to: Type.Optional(DayOrInstant()),
  ...paginationQuery,
})

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
          : await businessContext(db, callerOf(request))
      if (context) requirePower(context, 'audit.read')
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
      const page = readPageRequest(query, cursorsFor(request))
      return listBody(request, page, await listAudit(db, where, page), auditEntryOut)
    },
  )
}
