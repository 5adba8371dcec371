// GET /api/audit-log/: who did what, for owners and admins of a business (platform admins: all).
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { ListEnvelope } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { DayOrInstant, Text } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery } from '../../platform/http/pagination.js'
import { callerOf } from '../businesses/access.js'
import { auditEntryOut, listAuditLog } from './list.js'

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
      const { page, result } = await listAuditLog(db, callerOf(request), request.query, cursorsFor(request))
      return listBody(request, page, result, auditEntryOut)
    },
  )
}
