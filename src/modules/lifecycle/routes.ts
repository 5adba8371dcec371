// The status moves of bookings and reservations, one route shape for both: POST
// /api/<entities>/{id}/confirm/, /complete/ and /cancel/. Each module's routes register them with its
// schema; access and rules are the service's (service.ts).
import type { TSchema } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { IdParams } from '../../platform/http/inputs.js'
import { actorOf } from '../audit/actor.js'
import { callerOf } from '../businesses/access.js'
import { changeStatus, type Movable, type StatusDeps } from './service.js'

const ACTIONS = { confirm: 'confirmed', complete: 'completed', cancel: 'cancelled' } as const

export function statusRoutes<Row>(
  app: App,
  entities: {
    /** The entity's path: `/api/bookings`. */
    path: string
    /** How the answer's message names it: `Booking`. */
    noun: string
    tags: string[]
    schema: TSchema
    deps: StatusDeps
    movable: Movable<Row>
    out: (row: Row) => unknown
  },
): void {
  for (const [action, status] of Object.entries(ACTIONS)) {
    app.post(
      `${entities.path}/:id/${action}/`,
      {
        onRequest: authenticated,
        schema: {
          tags: entities.tags,
          security: callerSecurity,
          params: IdParams,
          response: { 200: Envelope(entities.schema) },
        },
      },
      async (request) => {
        const { deps, movable } = entities
        const row = await changeStatus(
          deps,
          movable,
          callerOf(request),
          request.params.id,
          status,
          actorOf(request),
        )
        return ok(entities.out(row), `${entities.noun} ${status}`)
      },
    )
  }
}
