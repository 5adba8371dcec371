// /api/businesses/ and their members.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app.js'
import { badRequest } from '../../platform/errors.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import { listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { OpeningHoursSchema } from '../reservations/opening-hours.js'
import {
  addMember,
  type BusinessDeps,
  businessOut,
  changeMemberRole,
  createBusiness,
  deleteBusiness,
  getBusiness,
  listBusinesses,
  listMembers,
  memberOut,
  removeMember,
  updateBusiness,
} from './service.js'

const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('manager'),
  Type.Literal('agent'),
])

export const BusinessSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    slug: Type.String(),
    timezone: Type.String(),
    currency: Type.String(),
    is_active: Type.Boolean(),
    settings: Type.Record(Type.String(), Type.Unknown()),
    opening_hours: OpeningHoursSchema,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Business' },
)

const BusinessFields = {
  slug: Type.Optional(Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  is_active: Type.Optional(Type.Boolean()),
  settings: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'A JSON object of at most 16 KB (serialized UTF-8) nested at most 5 levels deep.',
    }),
  ),
  opening_hours: Type.Optional(OpeningHoursSchema),
}
const BusinessCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...BusinessFields })
const BusinessPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  ...BusinessFields,
})

const MemberSchema = Type.Object(
  {
    user: Type.Object({
      id: Type.String({ format: 'uuid' }),
      username: Type.String(),
      email: Type.String(),
      first_name: Type.String(),
      last_name: Type.String(),
    }),
    role: Role,
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Member' },
)
const MemberCreate = Type.Object({
  user_id: Type.Optional(Type.String({ format: 'uuid' })),
  email: Type.Optional(Type.String({ format: 'email' })),
  role: Role,
})

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const MemberParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  user_id: Type.String({ format: 'uuid' }),
})
const PageOnly = Type.Object(paginationQuery)

const actorOf = (request: FastifyRequest) => ({ userId: requireUser(request).id, requestId: request.id })

/** These lists are short (a user's businesses, a business's members): page numbers only. */
function pageOnly(query: Static<typeof PageOnly>) {
  const page = readPageRequest(query)
  if (page.kind !== 'page') throw badRequest('This list is paged with "page", not "cursor".')
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
        querystring: PageOnly,
        response: { 200: ListEnvelope(BusinessSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request.query)
      const result = await listBusinesses(deps, requireUser(request), page)
      return listBody(request, page, result, businessOut)
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
      return reply.code(201).send(ok(businessOut(business), 'Business created'))
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
    async (request) => ok(businessOut(await getBusiness(deps, requireUser(request), request.params.id))),
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
      return ok(businessOut(business), 'Business updated')
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

  app.get(
    '/api/businesses/:id/members/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        querystring: PageOnly,
        response: { 200: ListEnvelope(MemberSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request.query)
      const result = await listMembers(deps, requireUser(request), request.params.id, page)
      return listBody(request, page, result, memberOut)
    },
  )

  app.post(
    '/api/businesses/:id/members/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        body: MemberCreate,
        response: { 201: Envelope(MemberSchema) },
      },
    },
    async (request, reply) => {
      const member = await addMember(
        deps,
        requireUser(request),
        request.params.id,
        request.body,
        actorOf(request),
      )
      return reply.code(201).send(ok(memberOut(member), 'Member added'))
    },
  )

  app.patch(
    '/api/businesses/:id/members/:user_id/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: MemberParams,
        body: Type.Object({ role: Role }),
        response: { 200: Envelope(MemberSchema) },
      },
    },
    async (request) => {
      const { id, user_id } = request.params
      const member = await changeMemberRole(
        deps,
        requireUser(request),
        id,
        user_id,
        request.body.role,
        actorOf(request),
      )
      return ok(memberOut(member), 'Member updated')
    },
  )

  app.delete(
    '/api/businesses/:id/members/:user_id/',
    {
      ...base,
      schema: {
        tags,
        security: callerSecurity,
        params: MemberParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await removeMember(
        deps,
        requireUser(request),
        request.params.id,
        request.params.user_id,
        actorOf(request),
      )
      return ok(null, 'Deleted')
    },
  )
}
