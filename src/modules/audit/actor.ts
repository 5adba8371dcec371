// Who a change is audited to: the signed-in caller of the request, with the request's id.
import type { FastifyRequest } from 'fastify'
import { requireUser } from '../../platform/http/guards.js'
import type { Actor } from './service.js'

export const actorOf = (request: FastifyRequest): Actor => ({
  userId: requireUser(request).id,
  requestId: request.id,
})
