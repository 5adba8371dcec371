// The waiting list of a full slot: joining it (POST /api/sessions/{id}/waitlist/), the caller's entries
// (GET /api/waitlist/), claiming an offered seat and leaving the line.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { IdParams, Instant } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { bookingOut, loadBooking } from '../bookings/queries.js'
import { BookingSchema } from '../bookings/routes.js'
import { callerOf } from '../businesses/access.js'
import { listOwnEntries } from './lists.js'
import { entryOut } from './queries.js'
import { claimOffer, joinWaitlist, leaveWaitlist, type WaitlistDeps } from './service.js'
import { WAITLIST_STATUSES } from './tables.js'

const WaitlistStatusSchema = Type.Union(WAITLIST_STATUSES.map((status) => Type.Literal(status)))

const WaitlistEntrySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    session: BookingSchema.properties.session,
    booking_date: Type.String({ format: 'date-time' }),
    status: WaitlistStatusSchema,
    position: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description: 'Place in line while waiting (1: the next seat that frees is offered to you); else null',
    }),
    offer_expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Until when the offered seat is held for you (set once offered)',
    }),
    created_at: Type.String({ format: 'date-time', description: 'When you joined the line' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'WaitlistEntry' },
)

const JoinBody = Type.Object({ booking_date: Instant() })
const EntryListQuery = Type.Object({ status: Type.Optional(WaitlistStatusSchema), ...paginationQuery })

export async function waitlistRoutes(app: App, { deps }: { deps: WaitlistDeps }) {
  const schema = { tags: ['waitlist'], security: callerSecurity }

  app.post(
    '/api/sessions/:id/waitlist/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: 'Join the waiting list of a full slot (409 seats_available while it has seats left)',
        params: IdParams,
        body: JoinBody,
        response: { 201: Envelope(WaitlistEntrySchema) },
      },
    },
    async (request, reply) => {
      const row = await joinWaitlist(deps, callerOf(request), request.params.id, request.body)
      return reply.code(201).send(ok(entryOut(row), 'Joined the waiting list'))
    },
  )

  app.get(
    '/api/waitlist/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        querystring: EntryListQuery,
        response: { 200: ListEnvelope(WaitlistEntrySchema) },
      },
    },
    async (request) => {
      const page = readPageRequest(request.query, cursorsFor(request))
      return listBody(
        request,
        page,
        await listOwnEntries(deps, callerOf(request), request.query, page),
        entryOut,
      )
    },
  )

  app.post(
    '/api/waitlist/:id/claim/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: 'Book the seat offered to you, before the offer runs out',
        params: IdParams,
        response: { 201: Envelope(BookingSchema) },
      },
    },
    async (request, reply) => {
      const id = await claimOffer(deps, callerOf(request), request.params.id, actorOf(request))
      app.deps.totals.add('bookings_created')
      return reply.code(201).send(ok(bookingOut(await loadBooking(deps.db, id)), 'Booking created'))
    },
  )

  app.delete(
    '/api/waitlist/:id/',
    {
      onRequest: authenticated,
      schema: { ...schema, params: IdParams, response: { 200: Envelope(Type.Null()) } },
    },
    async (request) => {
      await leaveWaitlist(deps, callerOf(request), request.params.id)
      return ok(null, 'Left the waiting list')
    },
  )
}
