// /api/businesses/: list, create, read, change, delete. Members and invitations: member-routes.ts.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { badRequest } from '../../platform/errors.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import { CurrencyCode, IdParams, patternSaying, Text } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import type { BusinessDeps } from './deps.js'
import { OpeningHoursOutSchema, OpeningHoursSchema } from './opening-hours.js'
import {
  businessAnswer,
  createBusiness,
  deleteBusiness,
  getBusiness,
  listBusinesses,
  updateBusiness,
} from './service.js'

export const BusinessSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    slug: Type.String(),
    timezone: Type.String(),
    currency: Type.String(),
    is_active: Type.Boolean(),
    settings: Type.Record(Type.String(), Type.Unknown()),
    opening_hours: OpeningHoursOutSchema,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    my_role: Type.Union(
      [
        Type.Literal('owner'),
        Type.Literal('admin'),
        Type.Literal('manager'),
        Type.Literal('agent'),
        Type.Null(),
      ],
      {
        description:
          "The caller's membership role in this business; null for a platform admin who is not a member.",
      },
    ),
  },
  {
    $id: 'Business',
    description:
      "A business (tenant); `my_role` is the caller's own role there, not a property of the business.",
  },
)

const BusinessFields = {
  slug: Type.Optional(
    Text({
      minLength: 1,
      maxLength: 80,
      pattern: patternSaying(
        '^[a-z0-9]+(-[a-z0-9]+)*$',
        'Use lowercase letters and digits, joined by single hyphens.',
      ),
    }),
  ),
  timezone: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
  currency: Type.Optional(CurrencyCode()),
  is_active: Type.Optional(Type.Boolean()),
  settings: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'A JSON object of at most 16 KB (serialized UTF-8) nested at most 5 levels deep.',
    }),
  ),
  opening_hours: Type.Optional(OpeningHoursSchema),
}
const BusinessCreate = Type.Object({ name: Text({ minLength: 1, maxLength: 200 }), ...BusinessFields })
const BusinessPatch = Type.Object({
  name: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
  ...BusinessFields,
})

export const PageOnly = Type.Object(paginationQuery)

const BusinessListQuery = Type.Object({
  search: Type.Optional(Text({ maxLength: 200, description: 'A substring of the name or slug.' })),
  member: Type.Optional(
    Type.String({
      format: 'uuid',
      description: "Only businesses this user is a member of (the admin console's user page).",
    }),
  ),
  ...paginationQuery,
})

/** These lists are short (a user's businesses, a business's members and invitations): page numbers only. */
export function pageOnly(request: FastifyRequest) {
  const query = request.query as Static<typeof PageOnly>
  if (query.cursor !== undefined) throw badRequest('This list is paged with "page", not "cursor".')
  const page = readPageRequest({ ...query, page: query.page ?? 1 }, cursorsFor(request))
  if (page.kind !== 'page') throw new Error('a page number gives a page request')
  return page
}

export async function businessRoutes(app: App, { deps }: { deps: BusinessDeps }) {
  const tags = ['businesses']
  const base = { onRequest: authenticated }

  app.get(
    '/api/businesses/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        querystring: BusinessListQuery,
        response: { 200: ListEnvelope(BusinessSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request)
      const { search, member } = request.query
      const result = await listBusinesses(deps, requireUser(request), { search, member }, page)
      return listBody(request, page, result, businessAnswer)
    },
  )

  app.post(
    '/api/businesses/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        body: BusinessCreate,
        response: { 201: Envelope(BusinessSchema) },
      },
    },
    async (request, reply) => {
      const business = await createBusiness(deps, requireUser(request), request.body, actorOf(request))
      return reply.code(201).send(ok(businessAnswer(business), 'Business created'))
    },
  )

  app.get(
    '/api/businesses/:id/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        response: { 200: Envelope(BusinessSchema) },
      },
    },
    async (request) => ok(businessAnswer(await getBusiness(deps, requireUser(request), request.params.id))),
  )

  app.patch(
    '/api/businesses/:id/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        body: BusinessPatch,
        response: { 200: Envelope(BusinessSchema) },
      },
    },
    async (request) => {
      const business = await updateBusiness(
        deps,
        requireUser(request),
        request.params.id,
        request.body,
        actorOf(request),
      )
      return ok(businessAnswer(business), 'Business updated')
    },
  )

  app.delete(
    '/api/businesses/:id/',
    {
      ...base,
      schema: { tags, security: callerSecurity, params: IdParams, response: { 200: Envelope(Type.Null()) } },
    },
    async (request) => {
      await deleteBusiness(deps, requireUser(request), request.params.id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )
}
