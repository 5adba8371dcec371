// /api/bookings/: booking a session's slot, the customer's and the business's lists, and the actions.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { type ExportColumn, exportQuery, sendExport } from '../../platform/http/export.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { DayOrInstant, IdParams, Instant, moneyText } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { callerOf } from '../businesses/access.js'
import { statusRoutes } from '../lifecycle/routes.js'
import { StatusSchema } from '../lifecycle/schemas.js'
import { visibleRow } from '../lifecycle/service.js'
import {
  exportBookings,
  type ListedBooking,
  listBookings,
  listCreatorBookings,
  listOwnBookings,
} from './lists.js'
import { bookingOut } from './queries.js'
import { type BookingDeps, bookingMoves, createBooking } from './service.js'

export const BookingSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    session: Type.Object({
      id: Type.String(),
      title: Type.String(),
      duration: Type.Integer(),
      price: Type.String(),
    }),
    user: Type.Object({ id: Type.String(), username: Type.String() }),
    booking_date: Type.String({ format: 'date-time' }),
    status: StatusSchema,
    amount: Type.String({ description: "The session's price when booked" }),
    currency: Type.String({ description: "The amount's currency (ISO 4217): the business's" }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Booking' },
)

const BookingCreate = Type.Object({ session: Type.String({ format: 'uuid' }), booking_date: Instant() })
const BookingListQuery = Type.Object({
  status: Type.Optional(StatusSchema),
  session: Type.Optional(Type.String({ format: 'uuid' })),
  user: Type.Optional(
    Type.String({
      format: 'uuid',
      description:
        "Only this user's bookings; a platform admin without X-Business-ID gets them from every business.",
    }),
  ),
  date_from: Type.Optional(DayOrInstant()),
  date_to: Type.Optional(DayOrInstant()),
  ...paginationQuery,
})
type BookingListQuery = Static<typeof BookingListQuery>

const BOOKING_EXPORT_COLUMNS: ExportColumn<ListedBooking>[] = [
  { header: 'id', value: (row) => row.booking.id },
  { header: 'session_id', value: (row) => row.session.id },
  { header: 'session_title', value: (row) => row.session.title },
  { header: 'user', value: (row) => row.user.username },
  { header: 'booking_date', value: (row) => row.booking.bookingDate.toISOString() },
  { header: 'status', value: (row) => row.booking.status },
  { header: 'amount', value: (row) => moneyText(row.booking.amount) },
  { header: 'created_at', value: (row) => row.booking.createdAt.toISOString() },
]

export async function bookingRoutes(app: App, { deps }: { deps: BookingDeps }) {
  const tags = ['bookings']
  const schema = { tags, security: callerSecurity }
  const list = {
    onRequest: authenticated,
    schema: { ...schema, querystring: BookingListQuery, response: { 200: ListEnvelope(BookingSchema) } },
  }
  type Lister = typeof listBookings
  const respond = async (request: FastifyRequest, query: BookingListQuery, lister: Lister) => {
    const page = readPageRequest(query, cursorsFor(request))
    return listBody(request, page, await lister(deps, callerOf(request), query, page), bookingOut)
  }

  app.post(
    '/api/bookings/',
    {
      onRequest: authenticated,
      schema: { ...schema, body: BookingCreate, response: { 201: Envelope(BookingSchema) } },
    },
    async (request, reply) => {
      const row = await createBooking(deps, callerOf(request), request.body, actorOf(request))
      app.deps.totals.add('bookings_created')
      return reply.code(201).send(ok(bookingOut(row), 'Booking created'))
    },
  )

  app.get('/api/bookings/', list, (request) => respond(request, request.query, listBookings))

  app.get(
    '/api/bookings/export/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: "Export the business's bookings (its staff; platform admins: all), streamed",
        querystring: exportQuery(BookingListQuery),
      },
    },
    async (request, reply) => {
      const { format = 'csv', ...query } = request.query
      const batches = await exportBookings(deps, callerOf(request), query)
      return sendExport(reply, format, 'bookings', BOOKING_EXPORT_COLUMNS, batches)
    },
  )

  app.get('/api/bookings/my_bookings/', list, (request) => respond(request, request.query, listOwnBookings))

  app.get('/api/bookings/creator_bookings/', list, (request) =>
    respond(request, request.query, listCreatorBookings),
  )

  app.get(
    '/api/bookings/:id/',
    {
      onRequest: authenticated,
      schema: { ...schema, params: IdParams, response: { 200: Envelope(BookingSchema) } },
    },
    async (request) =>
      ok(bookingOut(await visibleRow(deps.db, bookingMoves, callerOf(request), request.params.id))),
  )

  statusRoutes(app, {
    path: '/api/bookings',
    noun: 'Booking',
    tags,
    schema: BookingSchema,
    deps,
    movable: bookingMoves,
    out: bookingOut,
  })
}
