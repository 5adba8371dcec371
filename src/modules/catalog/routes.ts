// /api/sessions/: the public catalog, and its management by creators and business staff.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { validationErrors } from '../../platform/http/error-handler.js'
import {
  EXPORT_BATCH,
  type ExportColumn,
  exportQuery,
  keysetBatches,
  sendExport,
} from '../../platform/http/export.js'
import { authenticated, callerSecurity, type Principal, requireUser } from '../../platform/http/guards.js'
import { INT4_MAX, Int, Money, moneyText, Text } from '../../platform/http/inputs.js'
import {
  absoluteUrl,
  cursorsFor,
  listBody,
  paginationQuery,
  readPageRequest,
} from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { businessContext, businessOrPlatform, callerOf, standingIn } from '../businesses/access.js'
import { applyBulk } from './bulk.js'
import {
  CATALOG_CACHE,
  type CatalogDeps,
  createSession,
  deleteSessionIn,
  type ExportedSession,
  ensureCanChange,
  ensureCanCreate,
  exportSessionBatch,
  listSessions,
  reloadSession,
  sessionOut,
  updateSessionIn,
  visibleSession,
} from './service.js'

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
  status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}

export const SessionSchema = Type.Object(sessionFields, { $id: 'Session' })
// The same shape without the $id, for responses that list sessions under several keys.
const SessionItem = Type.Object(sessionFields)

const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive')])
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

export async function catalogRoutes(app: App, { deps }: { deps: CatalogDeps }) {
  const db = deps.db
  const tags = ['sessions']

  const caching = deps.cacheTtlMs > 0
  const noEntry = { value: null, version: '' }
  const cached = (key: string) => (caching ? deps.cache.get(CATALOG_CACHE, key) : noEntry)
  async function store(version: string, key: string, body: string) {
    if (caching) await deps.cache.set(CATALOG_CACHE, version, key, body, deps.cacheTtlMs)
  }

  /** Answers from the catalog cache, or computes, serializes and stores the answer. */
  async function cachedJson(reply: FastifyReply, key: string, compute: () => Promise<unknown>) {
    const { value, version } = await cached(key)
    const body = value ?? String(reply.serialize(await compute()))
    if (!value) await store(version, key, body)
    return reply.type('application/json; charset=utf-8').send(body as never)
  }

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
      const header = request.headers['x-business-id']
      // X-Business-ID of a business the caller is staff of adds its inactive sessions; otherwise ignored.
      const staffOf =
        typeof header === 'string' && (await standingIn(db, request.user, header)) ? header : null
      const page = readPageRequest(request.query, cursorsFor(request))
      const answer = async () =>
        listBody(request, page, await listSessions(deps, staffOf, request.query, page), sessionOut)
      // The public answer is the same for every caller: cache it (links are absolute, so by full URL).
      if (staffOf) return answer()
      return cachedJson(reply, `list:${absoluteUrl(request)}`, answer)
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
      const _user = requireUser(request)
      const businessId = await businessOrPlatform(db, callerOf(request), 'sessions.export')
      const { format = 'csv', ...filters } = request.query
      const batches = keysetBatches((after: ExportedSession | null) =>
        exportSessionBatch(deps, businessId, filters, after, EXPORT_BATCH),
      )
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
      const user = requireUser(request)
      const context = ensureCanCreate(await businessContext(db, callerOf(request)))
      const invalid = request.validationError
      const result = await applyBulk(
        deps,
        context,
        user.id,
        invalid
          ? {
              body: request.body,
              shapeErrors: validationErrors(invalid.validation, invalid.validationContext),
            }
          : { body: request.body, shapeErrors: null },
        actorOf(request),
      )
      await deps.cache.invalidate(CATALOG_CACHE)
      const reload = async (ids: string[]) =>
        Promise.all(ids.map(async (id) => sessionOut(await reloadSession(deps, id))))
      return ok(
        {
          created: await reload(result.created),
          updated: await reload(result.updated),
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
      const user = requireUser(request)
      const context = await businessContext(db, callerOf(request))
      const row = await createSession(deps, user, context, request.body, actorOf(request))
      await deps.cache.invalidate(CATALOG_CACHE)
      return reply.code(201).send(ok(sessionOut(row), 'Session created'))
    },
  )

  app.get(
    '/api/sessions/:id/',
    { schema: { tags, params: IdParams, response: { 200: Envelope(SessionSchema) } } },
    async (request, reply) => {
      const key = `detail:${request.params.id}`
      const { value, version } = await cached(key)
      if (value) return reply.type('application/json; charset=utf-8').send(value as never)
      const row = await visibleSession(deps, request.params.id, async (businessId) =>
        Boolean(await standingIn(db, request.user, businessId)),
      )
      const body = String(reply.serialize(ok(sessionOut(row))))
      // Only open sessions are cached: everybody may see those, so the answer does not depend on the caller.
      if (row.session.status === 'active' && row.business.isActive) {
        await store(version, key, body)
      }
      return reply.type('application/json; charset=utf-8').send(body as never)
    },
  )

  /** The session, if `user` may change it (404 when they cannot even see it, 403 when only that). */
  async function changeable(user: Principal, id: string) {
    const row = await visibleSession(deps, id, async (businessId) =>
      Boolean(await standingIn(db, user, businessId)),
    )
    ensureCanChange(await standingIn(db, user, row.session.businessId))
    return row
  }

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
        await changeable(requireUser(request), id)
        await db.transaction((tx) =>
          updateSessionIn(tx, deps, id, request.body as Static<typeof SessionPatch>, actorOf(request)),
        )
        await deps.cache.invalidate(CATALOG_CACHE)
        return ok(sessionOut(await reloadSession(deps, id)), 'Session updated')
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
      await changeable(requireUser(request), request.params.id)
      await db.transaction((tx) => deleteSessionIn(tx, deps, request.params.id, actorOf(request)))
      await deps.cache.invalidate(CATALOG_CACHE)
      return ok(null, 'Deleted')
    },
  )
}
