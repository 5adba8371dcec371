// /api/sessions/: the public catalog, and its management by creators and business staff.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { validationErrors } from '../../platform/http/error-handler.js'
import { type ExportColumn, exportQuery, sendExport } from '../../platform/http/export.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { INT4_MAX, Int, Money, moneyText, Text } from '../../platform/http/inputs.js'
import {
  absoluteUrl,
  cursorsFor,
  listBody,
  paginationQuery,
  readPageRequest,
} from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { callerOf } from '../businesses/access.js'
import { type BulkRequest, bulkChange } from './bulk.js'
import {
  type CatalogDeps,
  catalogPage,
  createSession,
  deleteSession,
  type ExportedSession,
  sessionDetail,
  sessionExport,
  sessionOut,
  updateSession,
} from './service.js'
import { SESSION_STATUSES } from './tables.js'

const sessionFields = {
  id: Type.String({ format: 'uuid' }),
  business: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
  creator: Type.Object({
    id: Type.String(),
    username: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar: Type.String(),
  }),
  title: Type.String(),
  description: Type.String(),
  duration: Type.Integer(),
  price: Type.String({ description: 'Decimal with 2 places, e.g. "25.00"' }),
  max_participants: Type.Integer(),
  image_url: Type.String(),
  status: Type.Union(SESSION_STATUSES.map((status) => Type.Literal(status))),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}

export const SessionSchema = Type.Object(sessionFields, { $id: 'Session' })
// The same shape without the $id, for responses that list sessions under several keys.
const SessionItem = Type.Object(sessionFields)

const Status = Type.Union(SESSION_STATUSES.map((status) => Type.Literal(status)))
const SessionFields = {
  description: Type.Optional(Text({ maxLength: 10_000 })),
  image_url: Type.Optional(Text({ maxLength: 500 })),
  status: Type.Optional(Status),
}
const Title = Text({ minLength: 1, maxLength: 200 })
const Duration = Type.Integer({ minimum: 5, maximum: 1440 })
const Capacity = Type.Integer({ minimum: 1, maximum: 10_000 })
export const SessionCreate = Type.Object({
  title: Title,
  duration: Duration,
  price: Money(),
  max_participants: Capacity,
  ...SessionFields,
})
const SessionPatch = Type.Object({
  title: Type.Optional(Title),
  duration: Type.Optional(Duration),
  price: Type.Optional(Money()),
  max_participants: Type.Optional(Capacity),
  ...SessionFields,
})

const BULK_LIMIT = 500
const BulkBody = Type.Object({
  create: Type.Optional(Type.Array(SessionCreate, { maxItems: BULK_LIMIT })),
  update: Type.Optional(
    Type.Array(Type.Composite([Type.Object({ id: Type.String({ format: 'uuid' }) }), SessionPatch]), {
      maxItems: BULK_LIMIT,
    }),
  ),
  delete: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: BULK_LIMIT })),
})

const ORDERINGS = ['created_at', 'price', 'duration', 'title']
export const SessionListQuery = Type.Object({
  search: Type.Optional(Text({ maxLength: 200 })),
  status: Type.Optional(Status),
  creator: Type.Optional(Type.String({ format: 'uuid' })),
  business: Type.Optional(Text({ maxLength: 100 })),
  min_price: Type.Optional(Money()),
  max_price: Type.Optional(Money()),
  min_duration: Type.Optional(Int({ minimum: 0, maximum: INT4_MAX })),
  max_duration: Type.Optional(Int({ minimum: 0, maximum: INT4_MAX })),
  ordering: Type.Optional(
    Type.Union(ORDERINGS.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)])),
  ),
  ...paginationQuery,
})

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const SESSION_EXPORT_COLUMNS: ExportColumn<ExportedSession>[] = [
  { header: 'id', value: (row) => row.session.id },
  { header: 'business', value: (row) => row.business.slug },
  { header: 'creator', value: (row) => row.creator.username },
  { header: 'title', value: (row) => row.session.title },
  { header: 'description', value: (row) => row.session.description },
  { header: 'duration', value: (row) => row.session.duration },
  { header: 'price', value: (row) => moneyText(row.session.price) },
  { header: 'max_participants', value: (row) => row.session.maxParticipants },
  { header: 'image_url', value: (row) => row.session.imageUrl },
  { header: 'status', value: (row) => row.session.status },
  { header: 'created_at', value: (row) => row.session.createdAt.toISOString() },
  { header: 'updated_at', value: (row) => row.session.updatedAt.toISOString() },
]

/** The caller of a read that anonymous callers may make too. */
const viewerOf = (request: FastifyRequest) => (request.user ? callerOf(request) : null)

/** Sends a body the service serialized already (it may come from the answer cache). */
const sendJson = (reply: FastifyReply, body: string) =>
  reply.type('application/json; charset=utf-8').send(body as never)

export async function catalogRoutes(app: App, { deps }: { deps: CatalogDeps }) {
  const tags = ['sessions']

  app.get(
    '/api/sessions/',
    {
      schema: {
        tags,
        summary: 'The catalog: active sessions (staff also see their own inactive ones)',
        querystring: SessionListQuery,
        response: { 200: ListEnvelope(SessionSchema) },
      },
    },
    async (request, reply) => {
      const page = readPageRequest(request.query, cursorsFor(request))
      // X-Business-ID of a business the caller is staff of adds its inactive sessions; otherwise ignored.
      const body = await catalogPage(deps, viewerOf(request), request.query, page, {
        url: absoluteUrl(request),
        render: (result) => String(reply.serialize(listBody(request, page, result, sessionOut))),
      })
      return sendJson(reply, body)
    },
  )

  app.get(
    '/api/sessions/export/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        summary: "Export the business's sessions (owner/admin/manager; platform admins: all), streamed",
        querystring: exportQuery(SessionListQuery, ['ordering']),
      },
    },
    async (request, reply) => {
      const { format = 'csv', ...filters } = request.query
      const batches = await sessionExport(deps, callerOf(request), filters)
      return sendExport(reply, format, 'sessions', SESSION_EXPORT_COLUMNS, batches)
    },
  )

  app.post(
    '/api/sessions/bulk/',
    {
      onRequest: authenticated,
      // The handler gets the body's shape errors instead of a 400 before it runs, to answer them
      // together with the ids it looks up (one answer names every failing item). A valid body is
      // coerced and stripped by the same validation as on any other route.
      attachValidation: true,
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Create, update and delete sessions of your business in one all-or-nothing transaction',
        body: BulkBody,
        response: {
          200: Envelope(
            Type.Object({
              created: Type.Array(SessionItem),
              updated: Type.Array(SessionItem),
              deleted: Type.Array(Type.String({ format: 'uuid' })),
            }),
          ),
        },
      },
    },
    async (request) => {
      const invalid = request.validationError
      const bulk: BulkRequest = invalid
        ? { body: request.body, shapeErrors: validationErrors(invalid.validation, invalid.validationContext) }
        : { body: request.body, shapeErrors: null }
      const result = await bulkChange(deps, callerOf(request), bulk, actorOf(request))
      return ok(
        {
          created: result.created.map(sessionOut),
          updated: result.updated.map(sessionOut),
          deleted: result.deleted,
        },
        'Bulk change applied',
      )
    },
  )

  app.post(
    '/api/sessions/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        body: SessionCreate,
        response: { 201: Envelope(SessionSchema) },
      },
    },
    async (request, reply) => {
      const row = await createSession(deps, callerOf(request), request.body, actorOf(request))
      return reply.code(201).send(ok(sessionOut(row), 'Session created'))
    },
  )

  app.get(
    '/api/sessions/:id/',
    { schema: { tags, params: IdParams, response: { 200: Envelope(SessionSchema) } } },
    async (request, reply) => {
      const body = await sessionDetail(deps, viewerOf(request), request.params.id, (row) =>
        String(reply.serialize(ok(sessionOut(row)))),
      )
      return sendJson(reply, body)
    },
  )

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/sessions/:id/',
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        body: method === 'PUT' ? SessionCreate : SessionPatch,
        response: { 200: Envelope(SessionSchema) },
      },
      handler: async (request) => {
        const { id } = request.params as Static<typeof IdParams>
        const input = request.body as Static<typeof SessionPatch>
        const row = await updateSession(deps, callerOf(request), id, input, actorOf(request))
        return ok(sessionOut(row), 'Session updated')
      },
    })
  }

  app.delete(
    '/api/sessions/:id/',
    {
      onRequest: authenticated,
      schema: { tags, security: callerSecurity, params: IdParams, response: { 200: Envelope(Type.Null()) } },
    },
    async (request) => {
      await deleteSession(deps, callerOf(request), request.params.id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )
}
