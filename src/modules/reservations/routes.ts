// /api/reservations/: appointments with a business or one of its staff, the lists, the export and the
// actions.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { isoInZone } from '../../platform/dates.js'
import { Envelope, ListEnvelope, ok } from '../../platform/http/envelope.js'
import { type ExportColumn, exportQuery, sendExport } from '../../platform/http/export.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { DayOrInstant, IdParams, Instant, Text } from '../../platform/http/inputs.js'
import { cursorsFor, listBody, paginationQuery, readPageRequest } from '../../platform/http/pagination.js'
import { actorOf } from '../audit/actor.js'
import { callerOf } from '../businesses/access.js'
import { statusRoutes } from '../lifecycle/routes.js'
import { StatusSchema } from '../lifecycle/schemas.js'
import { changeStatus, visibleRow } from '../lifecycle/service.js'
import { createReservation } from './create.js'
import { exportReservations, listReservations } from './lists.js'
import { type ReservationJoined, reservationOut } from './queries.js'
import { type ReservationDeps, reservationMoves, updateReservation } from './service.js'

export type { ReservationDeps } from './service.js'

const ReservationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    business: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
    customer: Type.Object(
      { id: Type.String(), username: Type.String(), email: Type.Optional(Type.String()) },
      {
        description:
          'email only for the customer, platform admins, and staff of a business the customer belongs to or booked or reserved with themselves',
      },
    ),
    staff: Type.Union([Type.Object({ id: Type.String(), username: Type.String() }), Type.Null()], {
      description: "The staff member, or null for the business's own calendar",
    }),
    start_time: Type.String({ format: 'date-time' }),
    end_time: Type.String({ format: 'date-time', description: 'Exclusive: [start_time, end_time)' }),
    status: StatusSchema,
    notes: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Reservation' },
)

const UserId = Type.String({ format: 'uuid' })
const StaffInput = Type.Union([Type.Null(), UserId], {
  description: "A member of the business; null or absent for the business's own calendar",
})
const Notes = Text({ maxLength: 2000 })

const ReservationCreate = Type.Object({
  business: Type.String({ format: 'uuid' }),
  start_time: Instant(),
  end_time: Instant(),
  staff: Type.Optional(StaffInput),
  customer: Type.Optional(
    Type.String({ format: 'uuid', description: 'Staff of the business only: reserve for this user' }),
  ),
  notes: Type.Optional(Notes),
})
// `status`, `business` and `customer` are not changed here: unknown fields are dropped.
const ReservationUpdate = Type.Object({
  start_time: Type.Optional(Instant()),
  end_time: Type.Optional(Instant()),
  staff: Type.Optional(StaffInput),
  notes: Type.Optional(Notes),
})
const ReservationListQuery = Type.Object({
  status: Type.Optional(StatusSchema),
  staff: Type.Optional(UserId),
  date_from: Type.Optional(DayOrInstant()),
  date_to: Type.Optional(DayOrInstant()),
  ordering: Type.Optional(Type.Union([Type.Literal('start_time'), Type.Literal('-start_time')])),
  ...paginationQuery,
})

/** Times in the business's own zone, with its offset on that date (DST included). */
const local = (date: Date, row: ReservationJoined) => isoInZone(date, row.business.timezone)

const RESERVATION_EXPORT_COLUMNS: ExportColumn<ReservationJoined>[] = [
  { header: 'id', value: (row) => row.reservation.id },
  { header: 'business', value: (row) => row.business.slug },
  { header: 'customer', value: (row) => row.customer.username },
  { header: 'customer_email', value: (row) => row.customer.email },
  { header: 'staff', value: (row) => row.staff?.username ?? null },
  { header: 'start_time', value: (row) => local(row.reservation.startTime, row) },
  { header: 'end_time', value: (row) => local(row.reservation.endTime, row) },
  { header: 'timezone', value: (row) => row.business.timezone },
  { header: 'status', value: (row) => row.reservation.status },
  { header: 'notes', value: (row) => row.reservation.notes },
  { header: 'created_at', value: (row) => local(row.reservation.createdAt, row) },
  { header: 'updated_at', value: (row) => local(row.reservation.updatedAt, row) },
]

export async function reservationRoutes(app: App, { deps }: { deps: ReservationDeps }) {
  const tags = ['reservations']
  const schema = { tags, security: callerSecurity }
  const one = { 200: Envelope(ReservationSchema) }

  app.post(
    '/api/reservations/',
    {
      onRequest: authenticated,
      schema: { ...schema, body: ReservationCreate, response: { 201: Envelope(ReservationSchema) } },
    },
    async (request, reply) => {
      const row = await createReservation(deps, callerOf(request), request.body, actorOf(request))
      app.deps.totals.add('reservations_created')
      return reply.code(201).send(ok(reservationOut(row), 'Reservation created'))
    },
  )

  app.get(
    '/api/reservations/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: "The business's reservations (with a business context), else the caller's own",
        querystring: ReservationListQuery,
        response: { 200: ListEnvelope(ReservationSchema) },
      },
    },
    async (request) => {
      const { ordering = 'start_time', ...query } = request.query
      const page = readPageRequest(query, cursorsFor(request))
      const result = await listReservations(deps, callerOf(request), query, ordering, page)
      return listBody(request, page, result, reservationOut)
    },
  )

  app.get(
    '/api/reservations/export/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: "Export the business's reservations (its staff; platform admins: all), streamed",
        querystring: exportQuery(ReservationListQuery),
      },
    },
    async (request, reply) => {
      const { format = 'csv', ordering = 'start_time', ...query } = request.query
      const batches = await exportReservations(deps, callerOf(request), query, ordering)
      return sendExport(reply, format, 'reservations', RESERVATION_EXPORT_COLUMNS, batches)
    },
  )

  app.get(
    '/api/reservations/:id/',
    { onRequest: authenticated, schema: { ...schema, params: IdParams, response: one } },
    async (request) =>
      ok(reservationOut(await visibleRow(deps.db, reservationMoves, callerOf(request), request.params.id))),
  )

  app.patch(
    '/api/reservations/:id/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: 'Change times and notes (its customer, while pending) or also the staff member (staff)',
        params: IdParams,
        body: ReservationUpdate,
        response: one,
      },
    },
    async (request) => {
      const caller = callerOf(request)
      const row = await updateReservation(deps, caller, request.params.id, request.body, actorOf(request))
      return ok(reservationOut(row), 'Reservation updated')
    },
  )

  app.delete(
    '/api/reservations/:id/',
    {
      onRequest: authenticated,
      schema: {
        ...schema,
        summary: 'Cancel the reservation (it stays readable, with status cancelled)',
        params: IdParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await changeStatus(
        deps,
        reservationMoves,
        callerOf(request),
        request.params.id,
        'cancelled',
        actorOf(request),
      )
      return ok(null, 'Reservation cancelled')
    },
  )

  statusRoutes(app, {
    path: '/api/reservations',
    noun: 'Reservation',
    tags,
    schema: ReservationSchema,
    deps,
    movable: reservationMoves,
    out: reservationOut,
  })
}
