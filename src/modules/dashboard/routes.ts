// GET /api/dashboard/stats/: counts, revenue, occupancy and top sessions of a period.
import { Type } from '@sinclair/typebox'
import type { App } from '../../app-types.js'
import { Envelope, ok } from '../../platform/http/envelope.js'
import { authenticated, callerSecurity } from '../../platform/http/guards.js'
import { callerOf } from '../businesses/access.js'
import { PERIODS } from './period.js'
import { type DashboardDeps, dashboardStats } from './service.js'

const periodSchema = (options: { default?: string } = {}) =>
  Type.Union(
    PERIODS.map((period) => Type.Literal(period)),
    {
      description: 'The calendar period containing now, in the business time zone (UTC platform-wide)',
      ...options,
    },
  )
const StatsQuery = Type.Object({
  period: Type.Optional(periodSchema({ default: 'week' })),
  business: Type.Optional(
    Type.String({ format: 'uuid', description: 'Platform admins: any business; members: their own' }),
  ),
})

const Counts = Type.Object({
  total: Type.Integer({ description: 'Rows whose booking_date / start_time falls in the period' }),
  by_status: Type.Object({
    pending: Type.Integer(),
    confirmed: Type.Integer(),
    cancelled: Type.Integer(),
    completed: Type.Integer(),
  }),
  today: Type.Integer({ description: 'Pending and confirmed rows of the local day containing now' }),
  next_7_days: Type.Integer({ description: 'Pending and confirmed rows of the 168 hours from now' }),
})

const DashboardStatsSchema = Type.Object(
  {
    period: periodSchema(),
    from: Type.String({ format: 'date-time', description: 'Inclusive' }),
    to: Type.String({ format: 'date-time', description: 'Exclusive' }),
    business: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
    bookings: Counts,
    reservations: Counts,
    revenue: Type.Object({
      amount: Type.String({ description: 'Confirmed and completed bookings of the period' }),
      currency: Type.String(),
    }),
    occupancy: Type.Array(
      Type.Object({
        session_id: Type.String(),
        title: Type.String(),
        booked: Type.Integer({ description: 'Bookings of the period holding a seat (not cancelled)' }),
        capacity: Type.Integer({ description: 'max_participants × the distinct booked slots of the period' }),
        rate: Type.Number({ description: 'booked / capacity, rounded to 4 decimals' }),
      }),
    ),
    new_customers: Type.Integer(),
    top_sessions: Type.Array(
      Type.Object({ session_id: Type.String(), title: Type.String(), bookings: Type.Integer() }),
      { maxItems: 5 },
    ),
  },
  { $id: 'DashboardStats' },
)

export async function dashboardRoutes(app: App, { deps }: { deps: DashboardDeps }) {
  app.get(
    '/api/dashboard/stats/',
    {
      onRequest: authenticated,
      schema: {
        tags: ['dashboard'],
        security: callerSecurity,
        summary: "A period's bookings, reservations, revenue, occupancy, new customers and top sessions",
        querystring: StatsQuery,
        response: { 200: Envelope(DashboardStatsSchema) },
      },
    },
    async (request) => {
      const { period = 'week', business } = request.query
      return ok(await dashboardStats(deps, callerOf(request), { period, business }))
    },
  )
}
