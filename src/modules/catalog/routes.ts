// /api/sessions/: the public catalog, and its management by creators and business staff. Handlers
// parse, hand the caller to a service and serialize; the shapes are in schemas.ts.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { validationErrors } from '../../platform/http/error-handler.js'
import { exportQuery, sendExport } from '../../platform/http/export.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { IdParams } from '../../platform/http/inputs.js'
import { absoluteUrl, cursorsFor, listBody, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { callerOf } from '../businesses/access.js'
import { type BulkRequest, bulkChange } from './bulk.js'
import { sessionExport } from './export.js'
import type { SessionJoined } from './queries.js'
import {
  BulkBody,
  BulkResult,
  SESSION_EXPORT_COLUMNS,
  SessionCreate,
  SessionListQuery,
  SessionPatch,
  SessionSchema,
  sessionOut,
} from './schemas.js'
import {
  type CatalogDeps,
  catalogPage,
  createSession,
  deleteSession,
  sessionDetail,
  updateSession,
} from './service.js'
import { listSlots, SlotQuery, SlotSchema } from './slots.js'

/** The caller of a read that anonymous callers may make too. */
const viewerOf = (request: FastifyRequest) => (request.user ? callerOf(request) : null)

/** Sends a body the service serialized already (it may come from the answer cache). */
const sendJson = (reply: FastifyReply, body: string) =>
  reply.type('application/json; charset=utf-8').send(body as never)

export async function catalogRoutes(app: App, { deps }: { deps: CatalogDeps }) {
  const tags = ['sessions']
  /** Session rows as answered now (their next_slot is the first one after this instant). */
  const sessionsOut = () => {
    const now = deps.clock.now()
    return (row: SessionJoined) => sessionOut(row, now)
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
      const page = readPageRequest(request.query, cursorsFor(request))
      const body = await catalogPage(deps, viewerOf(request), request.query, page, {
        url: absoluteUrl(request),
        render: (result) => String(reply.serialize(listBody(request, page, result, sessionsOut()))),
      })
      return sendJson(reply, body)
    },
  )

  app.get(
    '/api/sessions/:id/slots/',
    {
      schema: {
        tags,
        summary: "A session's slots in a window of days, with the seats left in each",
        params: IdParams,
        querystring: SlotQuery,
        response: { 200: Envelope(Type.Array(SlotSchema)) },
      },
    },
    async (request) => ok(await listSlots(deps, viewerOf(request), request.params.id, request.query)),
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
          200: Envelope(BulkResult),
        },
      },
    },
    async (request) => {
      const invalid = request.validationError
      const bulk: BulkRequest = invalid
        ? { body: request.body, shapeErrors: validationErrors(invalid.validation, invalid.validationContext) }
        : { body: request.body, shapeErrors: null }
      const result = await bulkChange(deps, callerOf(request), bulk, actorOf(request))
      const out = sessionsOut()
      return ok(
        {
          created: result.created.map(out),
          updated: result.updated.map(out),
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
      return reply.code(201).send(ok(sessionsOut()(row), 'Session created'))
    },
  )

  app.get(
    '/api/sessions/:id/',
    { schema: { tags, params: IdParams, response: { 200: Envelope(SessionSchema) } } },
    async (request, reply) => {
      const body = await sessionDetail(deps, viewerOf(request), request.params.id, (row) =>
        String(reply.serialize(ok(sessionsOut()(row)))),
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
        return ok(sessionsOut()(row), 'Session updated')
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
