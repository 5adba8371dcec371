// /api/bookings/: booking a session's slot, the customer's and the business's lists, and the actions.
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../../app-types.js'
import { dateRange } from '../../platform/dates.js'
import { AppError } from '../../platform/errors.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import {
  EXPORT_BATCH,
  type ExportColumn,
  exportQuery,
  keysetBatches,
  sendExport,
} from '../../platform/http/export.js'
import { authenticated, callerSecurity, type Principal, requireUser } from '../../platform/http/guards.js'
import { DayOrInstant, Instant, moneyText } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import {
  businessContextIfAny,
  businessOrPlatform,
  businessTimeZone,
  callerOf,
  membershipsOf,
  requireStanding,
} from '../businesses/access.js'
import {
  type BookingDeps,
  type BookingFilters,
  type BookingScope,
  bookingOut,
  changeBookingStatus,
  createBooking,
  type ExportedBooking,
  exportBookingBatch,
  listBookings,
  notCreatorOrStaff,
  visibleBooking,
} from './service.js'

const StatusSchema = Type.Union(
  ['pending', 'confirmed', 'cancelled', 'completed'].map((status) => Type.Literal(status)),
)

const BookingSchema = Type.Object(
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
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Booking' },
)

const BookingCreate = Type.Object({ session: Type.String({ format: 'uuid' }), booking_date: Instant() })
const BookingListQuery = Type.Object({
  status: Type.Optional(StatusSchema),
  session: Type.Optional(Type.String({ format: 'uuid' })),
  date_from: Type.Optional(DayOrInstant()),
  date_to: Type.Optional(DayOrInstant()),
  ...paginationQuery,
})
type BookingListQuery = Static<typeof BookingListQuery>
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const BOOKING_EXPORT_COLUMNS: ExportColumn<ExportedBooking>[] = [
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
  const db = deps.db
  const tags = ['bookings']
  const schema = { tags, security: callerSecurity }
  const list = {
    onRequest: authenticated,
    schema: { ...schema, querystring: BookingListQuery, response: { 200: ListEnvelope(BookingSchema) } },
  }

  /** Whether the caller is a member (any role) of the business, or a platform admin. */
  const staffOf = (user: Principal) => async (businessId: string) =>
    requireStanding(db, user, businessId).then(
      () => true,
      (error: unknown) => {
        if (error instanceof AppError && error.statusCode === 404) return false
        throw error
      },
    )

  /** Date filters are whole days in the business's time zone (UTC without a business). */
  async function readFilters(
    query: Omit<BookingListQuery, 'page' | 'page_size' | 'cursor'>,
    businessId: string | null,
  ): Promise<BookingFilters> {
    const zone = await businessTimeZone(db, businessId)
    return {
      status: query.status as BookingFilters['status'],
      session: query.session,
      ...dateRange(query, zone),
    }
  }

  async function respond(request: FastifyRequest, scope: BookingScope, query: BookingListQuery) {
    const filters = await readFilters(query, scope.kind === 'business' ? scope.businessId : null)
    const page = readPageRequest(query, cursorsFor(request))
    return listBody(request, page, await listBookings(deps, scope, filters, page), bookingOut)
  }

  app.post(
    '/api/bookings/',
    {
      onRequest: authenticated,
      schema: { ...schema, body: BookingCreate, response: { 201: Envelope(BookingSchema) } },
    },
    async (request, reply) => {
      const row = await createBooking(deps, requireUser(request), request.body, actorOf(request))
      return reply.code(201).send(ok(bookingOut(row), 'Booking created'))
    },
  )

  app.get('/api/bookings/', list, async (request) => {
    const user = requireUser(request)
    // With a business context (header or single membership): the business's bookings; else (no
    // membership, or several and no header) the caller's own.
    const context = await businessContextIfAny(db, callerOf(request))
    const scope: BookingScope = context
      ? { kind: 'business', businessId: context.businessId }
      : { kind: 'own', userId: user.id }
    return respond(request, scope, request.query)
  })

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
      const _user = requireUser(request)
      const businessId = await businessOrPlatform(db, callerOf(request), 'bookings.export')
      const { format = 'csv', ...query } = request.query
      const filters = await readFilters(query, businessId)
      const batches = keysetBatches((after: ExportedBooking | null) =>
        exportBookingBatch(deps, businessId, filters, after, EXPORT_BATCH),
      )
      return sendExport(reply, format, 'bookings', BOOKING_EXPORT_COLUMNS, batches)
    },
  )

  app.get('/api/bookings/my_bookings/', list, async (request) =>
    respond(request, { kind: 'own', userId: requireUser(request).id }, request.query),
  )

  app.get('/api/bookings/creator_bookings/', list, async (request) => {
    const user = requireUser(request)
    // Staff of any business (however many memberships, with or without X-Business-ID).
    const isStaff = (await membershipsOf(db, user.id)).length > 0
    if (user.role !== 'creator' && !isStaff) throw notCreatorOrStaff()
    return respond(request, { kind: 'created', creatorId: user.id }, request.query)
  })

  app.get(
    '/api/bookings/:id/',
    {
      onRequest: authenticated,
      schema: { ...schema, params: IdParams, response: { 200: Envelope(BookingSchema) } },
    },
    async (request) => {
      const user = requireUser(request)
      return ok(bookingOut(await visibleBooking(deps, user, request.params.id, staffOf(user))))
    },
  )

  const actions = { confirm: 'confirmed', complete: 'completed', cancel: 'cancelled' } as const
  for (const [action, status] of Object.entries(actions)) {
    app.post(
      `/api/bookings/:id/${action}/`,
      {
        onRequest: authenticated,
        schema: { ...schema, params: IdParams, response: { 200: Envelope(BookingSchema) } },
      },
      async (request) => {
        const user = requireUser(request)
        const row = await changeBookingStatus(
          deps,
          user,
          request.params.id,
          status,
          staffOf(user),
          actorOf(request),
        )
        return ok(bookingOut(row), `Booking ${status}`)
      },
    )
  }
}
