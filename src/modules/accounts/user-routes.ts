// /api/users/: the platform admin's user list; detail for the user themself or an admin.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, platformAdminOnly, requireUser } from '../../platform/http/guards.js'
import { IdParams } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import type { AccountsContext } from './context.js'
import { UserAdminPatch, UserListQuery, UserSchema } from './schemas.js'
import { deactivateUser, listUsers, patchUser, visibleUser } from './user-admin-service.js'
import { toUserOut } from './users.js'

const tags = ['users']

export async function userRoutes(app: App, { ctx }: { ctx: AccountsContext }) {
  app.get(
    '/api/users/',
    {
      onRequest: platformAdminOnly,
      schema: {
        tags,
        security: callerSecurity,
        summary: 'Users (platform admins): search, filters, ordering, pagination',
        querystring: Type.Composite([UserListQuery, Type.Object(paginationQuery)]),
        response: { 200: ListEnvelope(UserSchema) },
      },
    },
    async (request) => {
      const page = readPageRequest(request.query, cursorsFor(request))
      const result = await listUsers(ctx, request.query, page)
      return listBody(
        request,
        page,
        { ...result, total: { count: result.total, isEstimate: false } },
        toUserOut,
      )
    },
  )

  app.get(
    '/api/users/:id/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        response: { 200: Envelope(UserSchema) },
      },
    },
    async (request) => ok(toUserOut(await visibleUser(ctx, requireUser(request), request.params.id))),
  )

  app.patch(
    '/api/users/:id/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        body: UserAdminPatch,
        response: { 200: Envelope(UserSchema) },
      },
    },
    async (request) =>
      ok(
        toUserOut(
          await patchUser(ctx, requireUser(request), request.params.id, request.body, actorOf(request)),
        ),
        'User updated',
      ),
  )

  app.delete(
    '/api/users/:id/',
    {
      onRequest: authenticated,
      schema: {
        tags,
        security: callerSecurity,
        params: IdParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await deactivateUser(ctx, requireUser(request), request.params.id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )
}
