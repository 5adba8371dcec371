// A business's members and invitations, and accepting an invitation.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity, requireUser } from '../../platform/http/guards.js'
import { IdParams, Text } from '../../platform/http/inputs.js'
import { listBody } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import {
  acceptInvitation,
  type InvitationDeps,
  invitationOut,
  invite,
  listInvitations,
  revokeInvitation,
} from './invitations.js'
import {
  addMemberDirectly,
  changeMemberRole,
  isDirectAdd,
  listMembers,
  memberOut,
  removeMember,
} from './members.js'
import { BusinessSchema, PageOnly, pageOnly } from './routes.js'
import { businessAnswer } from './service.js'

const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('manager'),
  Type.Literal('agent'),
])

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

const InvitationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    role: Role,
    expires_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Invitation' },
)

const MemberCreate = Type.Object({
  email: Type.Optional(
    Type.String({ format: 'email', maxLength: 254, description: 'The address to invite (202)' }),
  ),
  role: Role,
  user_id: Type.Optional(
    Type.String({ format: 'uuid', description: 'Platform admins, with `direct`: the user to add at once' }),
  ),
  direct: Type.Optional(
    Type.Boolean({
      description: 'Platform admins: true adds `user_id` at once, without an invitation (201)',
    }),
  ),
})

const MemberParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  user_id: Type.String({ format: 'uuid' }),
})
const InvitationParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  invitation_id: Type.String({ format: 'uuid' }),
})
const AcceptBody = Type.Object({ token: Text({ minLength: 1, maxLength: 200 }) })

export async function memberRoutes(app: App, { deps }: { deps: InvitationDeps }) {
  const tags = ['businesses']
  const base = { onRequest: authenticated }
  const schema = { tags, security: callerSecurity }

  app.get(
    '/api/businesses/:id/members/',
    {
      ...base,
      schema: {
        ...schema,
        params: IdParams,
        querystring: PageOnly,
        response: { 200: ListEnvelope(MemberSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request)
      const result = await listMembers(deps, requireUser(request), request.params.id, page)
      return listBody(request, page, result, memberOut)
    },
  )

  app.post(
    '/api/businesses/:id/members/',
    {
      ...base,
      schema: {
        ...schema,
        summary: 'Invite an address (owners and admins; 202), or add a user at once (platform admins; 201)',
        params: IdParams,
        body: MemberCreate,
        response: { 201: Envelope(MemberSchema), 202: Envelope(InvitationSchema) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      if (isDirectAdd(request.body)) {
        const member = await addMemberDirectly(deps, user, id, request.body, actorOf(request))
        return reply.code(201).send(ok(memberOut(member), 'Member added'))
      }
      const invitation = await invite(deps, user, id, request.body, actorOf(request))
      return reply.code(202).send(ok(invitationOut(invitation), 'Invitation sent'))
    },
  )

  app.patch(
    '/api/businesses/:id/members/:user_id/',
    {
      ...base,
      schema: {
        ...schema,
        params: MemberParams,
        body: Type.Object({ role: Role }),
        response: { 200: Envelope(MemberSchema) },
      },
    },
    async (request) => {
      const { id, user_id } = request.params
      const user = requireUser(request)
      const member = await changeMemberRole(deps, user, id, user_id, request.body.role, actorOf(request))
      return ok(memberOut(member), 'Member updated')
    },
  )

  app.delete(
    '/api/businesses/:id/members/:user_id/',
    {
      ...base,
      schema: {
        ...schema,
        summary: 'Remove a member (owners and admins), or leave: any member may remove themself',
        params: MemberParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      const { id, user_id } = request.params
      await removeMember(deps, requireUser(request), id, user_id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )

  app.get(
    '/api/businesses/:id/invitations/',
    {
      ...base,
      schema: {
        ...schema,
        summary: 'Pending invitations (owners and admins)',
        params: IdParams,
        querystring: PageOnly,
        response: { 200: ListEnvelope(InvitationSchema) },
      },
    },
    async (request) => {
      const page = pageOnly(request)
      const result = await listInvitations(deps, requireUser(request), request.params.id, page)
      return listBody(request, page, result, invitationOut)
    },
  )

  app.delete(
    '/api/businesses/:id/invitations/:invitation_id/',
    {
      ...base,
      schema: {
        ...schema,
        summary: 'Revoke a pending invitation; its link stops working',
        params: InvitationParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      const { id, invitation_id } = request.params
      await revokeInvitation(deps, requireUser(request), id, invitation_id, actorOf(request))
      return ok(null, 'Deleted')
    },
  )

  app.post(
    '/api/invitations/accept/',
    {
      ...base,
      schema: {
        ...schema,
        summary: 'Accept an invitation with the mailed token, signed in with the invited address',
        body: AcceptBody,
        response: { 201: Envelope(BusinessSchema) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const business = await acceptInvitation(deps, user, request.body.token, actorOf(request))
      return reply.code(201).send(ok(businessAnswer(business), 'Invitation accepted'))
    },
  )
}
